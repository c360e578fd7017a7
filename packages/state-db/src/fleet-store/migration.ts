import type { Migration } from '../internal/migrations.js';

/** The fleet record's tables (migration 6): runs, their instances, gates and approvals, and pause flags. @internal */
export const FLEET_MIGRATION: Migration = {
  version: 6,
  name: 'fleet runs, gates, approvals, pause flags',
  sql: (s) => `
CREATE TABLE ${s}.fleet_runs (
  id text PRIMARY KEY,
  fleet text NOT NULL,
  state text NOT NULL CHECK (state IN ('RUNNING', 'PAUSED', 'COMPLETE', 'FAILED', 'HALTED')),
  reason text,
  started_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  seq bigserial NOT NULL
);
CREATE INDEX fleet_runs_fleet ON ${s}.fleet_runs (fleet, started_at DESC, seq DESC);
CREATE TABLE ${s}.fleet_instances (
  run_id text NOT NULL REFERENCES ${s}.fleet_runs (id) ON DELETE CASCADE,
  instance text NOT NULL,
  wave integer NOT NULL,
  status text NOT NULL,
  deployment_id text,
  error jsonb,
  updated_at bigint NOT NULL,
  PRIMARY KEY (run_id, instance)
);
CREATE TABLE ${s}.fleet_gates (
  run_id text NOT NULL REFERENCES ${s}.fleet_runs (id) ON DELETE CASCADE,
  gate text NOT NULL,
  status text NOT NULL,
  detail text,
  updated_at bigint NOT NULL,
  PRIMARY KEY (run_id, gate)
);
CREATE TABLE ${s}.fleet_approvals (
  run_id text NOT NULL REFERENCES ${s}.fleet_runs (id) ON DELETE CASCADE,
  gate text NOT NULL,
  approved_by text NOT NULL,
  at bigint NOT NULL,
  PRIMARY KEY (run_id, gate)
);
CREATE TABLE ${s}.fleet_pauses (fleet text PRIMARY KEY, paused boolean NOT NULL, by_whom text NOT NULL, at bigint NOT NULL);
`,
};
