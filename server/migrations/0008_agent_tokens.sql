-- Agent tokens bound to their operation (issue "Hardening"). A deployment counts the operations
-- started on it (`attempt`: every user action begins a new one); each token records the attempt
-- it was issued for, so a user action supersedes the running toolkit's token at once, and a token
-- lapses a day after its last accepted message (core::lifecycle::agent_token).
ALTER TABLE deployments ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;

-- One row per token (no longer one per deployment), so a superseded or replaced token is still
-- recognised and refused with its reason rather than as unknown. Expired rows are purged.
CREATE TABLE agent_tokens_v2 (
    token_hash    TEXT PRIMARY KEY NOT NULL,
    deployment_id TEXT NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
    operation     TEXT NOT NULL,
    attempt       INTEGER NOT NULL,
    last_seq      INTEGER NOT NULL DEFAULT 0,
    issued_at     TEXT NOT NULL,
    last_used_at  TEXT NOT NULL,
    replaced_at   TEXT
) STRICT;

-- A kept token stays valid only if it still belongs to what the deployment is doing: its
-- operation under way, or the create or start that left it running. Any other (a create token
-- after the user stopped the deployment) gets attempt 0, which never matches.
INSERT INTO agent_tokens_v2 (token_hash, deployment_id, operation, attempt, last_seq, issued_at, last_used_at)
SELECT t.token_hash, t.deployment_id, t.operation,
       CASE
           WHEN d.operation = t.operation THEN d.attempt
           WHEN d.operation IS NULL AND d.status = 'running' AND t.operation IN ('create', 'start') THEN d.attempt
           ELSE 0
       END,
       t.last_seq, t.issued_at, COALESCE(d.agent_last_seen_at, t.issued_at)
FROM agent_tokens t JOIN deployments d ON d.id = t.deployment_id;

DROP TABLE agent_tokens;
ALTER TABLE agent_tokens_v2 RENAME TO agent_tokens;
CREATE INDEX agent_tokens_by_deployment ON agent_tokens (deployment_id);
CREATE INDEX agent_tokens_by_last_use ON agent_tokens (last_used_at);
-- Purging old sessions and idempotency keys reads by time.
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
