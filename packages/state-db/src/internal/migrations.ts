import { FLEET_MIGRATION } from '../fleet-store/migration.js';

/** One versioned migration; `sql` gets the quoted schema name. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: (s: string) => string;
}

const EDGES: readonly [string, string][] = [
  ['UNKNOWN', 'INITIALIZING'],
  ['INITIALIZING', 'DEPLOYING'],
  ['DEPLOYING', 'CONFIGURING'],
  ['CONFIGURING', 'VERIFYING'],
  ['VERIFYING', 'COMPLETE'],
  ['INITIALIZING', 'FAILED'],
  ['DEPLOYING', 'FAILED'],
  ['CONFIGURING', 'FAILED'],
  ['VERIFYING', 'FAILED'],
  ['COMPLETE', 'INITIALIZING'],
  ['COMPLETE', 'ROLLING_BACK'],
  ['COMPLETE', 'CLEANUP'],
  ['FAILED', 'ROLLING_BACK'],
  ['FAILED', 'INITIALIZING'],
  ['ROLLING_BACK', 'CLEANUP'],
  ['ROLLING_BACK', 'FAILED'],
  ['CLEANUP', 'COMPLETE'],
  ['CLEANUP', 'UNKNOWN'],
];

/** Every migration, in order. Never edit one that has shipped: append a new one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'state, audit log, state machine',
    sql: (s) => `
CREATE TABLE ${s}.transitions (from_state text NOT NULL, to_state text NOT NULL, PRIMARY KEY (from_state, to_state));
INSERT INTO ${s}.transitions VALUES ${EDGES.map(([f, t]) => `('${f}','${t}')`).join(',')};

CREATE TABLE ${s}.current_state (
  instance text PRIMARY KEY,
  state text NOT NULL,
  prev_state text NOT NULL,
  version bigint NOT NULL,
  fencing_token bigint NOT NULL,
  hash text NOT NULL,
  updated_at bigint NOT NULL
);

CREATE TABLE ${s}.audit_log (
  instance text NOT NULL,
  version bigint NOT NULL,
  from_state text NOT NULL,
  to_state text NOT NULL,
  fencing_token bigint NOT NULL,
  reason text NOT NULL,
  actor text NOT NULL,
  deployment_id text,
  metadata text NOT NULL,
  at bigint NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (instance, version)
);

CREATE FUNCTION ${s}.lp(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT octet_length(t)::text || ':' || t $$;

CREATE FUNCTION ${s}.chain_hash(prev text, inst text, ver bigint, f text, t text, tok bigint, reason text,
  actor text, dep text, meta text, at bigint) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT encode(sha256(convert_to(${s}.lp(prev) || ${s}.lp(inst) || ${s}.lp(ver::text) || ${s}.lp(f) ||
    ${s}.lp(t) || ${s}.lp(tok::text) || ${s}.lp(reason) || ${s}.lp(actor) || ${s}.lp(coalesce(dep, '')) ||
    ${s}.lp(meta) || ${s}.lp(at::text), 'UTF8')), 'hex') $$;

CREATE FUNCTION ${s}.audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'dive audit log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON ${s}.audit_log
  FOR EACH ROW EXECUTE FUNCTION ${s}.audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON ${s}.audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION ${s}.audit_append_only();

CREATE FUNCTION ${s}.check_edge() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE f text; t text;
BEGIN
  IF TG_TABLE_NAME = 'audit_log' THEN f := NEW.from_state; t := NEW.to_state;
  ELSE
    IF NEW.state = OLD.state AND NEW.version = OLD.version THEN RETURN NEW; END IF;
    f := OLD.state; t := NEW.state;
  END IF;
  PERFORM 1 FROM ${s}.transitions WHERE from_state = f AND to_state = t;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'dive: illegal transition % -> %', f, t USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER audit_legal_edge BEFORE INSERT ON ${s}.audit_log FOR EACH ROW EXECUTE FUNCTION ${s}.check_edge();
CREATE TRIGGER state_legal_edge BEFORE UPDATE ON ${s}.current_state FOR EACH ROW EXECUTE FUNCTION ${s}.check_edge();
`,
  },
  {
    version: 2,
    name: 'steps, checkpoints, errors, metrics',
    sql: (s) => `
CREATE TABLE ${s}.steps (
  deployment_id text NOT NULL,
  step text NOT NULL,
  instance text NOT NULL,
  status text NOT NULL,
  started_at bigint NOT NULL,
  ended_at bigint,
  detail jsonb,
  PRIMARY KEY (deployment_id, step)
);
CREATE TABLE ${s}.checkpoints (
  id text PRIMARY KEY,
  instance text NOT NULL,
  created_at bigint NOT NULL,
  encrypted boolean NOT NULL,
  body text NOT NULL
);
CREATE INDEX checkpoints_instance ON ${s}.checkpoints (instance, created_at DESC);
CREATE TABLE ${s}.errors (
  id bigserial PRIMARY KEY,
  tag text NOT NULL,
  code integer NOT NULL,
  severity text NOT NULL,
  message text NOT NULL,
  instance text,
  deployment_id text,
  at bigint NOT NULL
);
CREATE INDEX errors_at ON ${s}.errors (at);
CREATE TABLE ${s}.metrics_snapshot (id integer PRIMARY KEY CHECK (id = 1), body text NOT NULL, saved_at bigint NOT NULL);
`,
  },
  {
    version: 3,
    name: 'shared circuit breakers',
    sql: (s) => `
CREATE TABLE ${s}.breakers (
  name text PRIMARY KEY,
  state text NOT NULL CHECK (state IN ('CLOSED', 'OPEN')),
  consecutive_failures integer NOT NULL,
  consecutive_successes integer NOT NULL,
  opened_at bigint,
  next_probe_at bigint,
  version bigint NOT NULL
);
CREATE TABLE ${s}.breaker_probes (name text PRIMARY KEY, owner text NOT NULL, expires_at bigint NOT NULL);
`,
  },
  {
    version: 4,
    name: 'sealed audit head',
    sql: (s) => `
ALTER TABLE ${s}.current_state ADD COLUMN head_alg text, ADD COLUMN head_mac text;
`,
  },
  {
    version: 5,
    name: 'store identity',
    sql: (s) => `
CREATE TABLE ${s}.store_identity (id integer PRIMARY KEY CHECK (id = 1), store_id text NOT NULL);
INSERT INTO ${s}.store_identity (id, store_id) VALUES (1, md5(random()::text || clock_timestamp()::text || pg_backend_pid()::text));
`,
  },
  FLEET_MIGRATION,
];
