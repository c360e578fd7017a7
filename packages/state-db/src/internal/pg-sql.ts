/** The one statement of a transition; see the package README for the reasoning. */
export function transitionSql(s: string): string {
  return `
WITH t AS (
  INSERT INTO ${s}.current_state AS c (instance, state, prev_state, version, fencing_token, hash, updated_at)
  SELECT $1::text, $2::text, 'UNKNOWN', 1, $3::bigint,
         ${s}.chain_hash('', $1::text, 1, 'UNKNOWN', $2::text, $3::bigint, $5::text, $6::text, $7::text, $8::text, $9::bigint),
         $9::bigint
  WHERE EXISTS (SELECT 1 FROM ${s}.current_state WHERE instance = $1::text)
     OR (coalesce($4::bigint, 0) = 0
         AND EXISTS (SELECT 1 FROM ${s}.transitions WHERE from_state = 'UNKNOWN' AND to_state = $2::text))
  ON CONFLICT (instance) DO UPDATE SET
    state = EXCLUDED.state,
    prev_state = c.state,
    version = c.version + 1,
    fencing_token = EXCLUDED.fencing_token,
    hash = ${s}.chain_hash(c.hash, c.instance, c.version + 1, c.state, EXCLUDED.state, EXCLUDED.fencing_token,
                          $5::text, $6::text, $7::text, $8::text, $9::bigint),
    updated_at = EXCLUDED.updated_at
  WHERE ($4::bigint IS NULL OR c.version = $4::bigint)
    AND EXCLUDED.fencing_token >= c.fencing_token
    AND EXISTS (SELECT 1 FROM ${s}.transitions WHERE from_state = c.state AND to_state = EXCLUDED.state)
  RETURNING c.instance, c.prev_state, c.state, c.version, c.hash
)
INSERT INTO ${s}.audit_log (instance, version, from_state, to_state, fencing_token, reason, actor, deployment_id, metadata, at, hash)
SELECT instance, version, prev_state, state, $3::bigint, $5::text, $6::text, $7::text, $8::text, $9::bigint, hash FROM t
RETURNING version, from_state, hash`;
}
