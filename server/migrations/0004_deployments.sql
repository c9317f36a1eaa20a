-- Deployments (SPEC §7), their bootstrap keys and agent tokens. Secrets are stored only as
-- SHA-256 digests: a copy of the database can neither register a toolkit nor act as an agent.

CREATE TABLE deployments (
    id               TEXT PRIMARY KEY NOT NULL,
    project_id       TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name             TEXT NOT NULL,
    cloud            TEXT NOT NULL,
    region           TEXT NOT NULL,
    vpc_cidr         TEXT NOT NULL,
    sessions         INTEGER NOT NULL,
    tps              INTEGER NOT NULL,
    tier             INTEGER NOT NULL,
    node_type        TEXT NOT NULL,
    node_vcpu        INTEGER NOT NULL,
    node_memory_gib  INTEGER NOT NULL,
    nodes            INTEGER NOT NULL,
    agent_type       TEXT NOT NULL,
    domain           TEXT NOT NULL,
    certificate      TEXT,             -- JSON CertSummary (public data only)
    tags             TEXT NOT NULL,    -- JSON [{key, value}]
    status           TEXT NOT NULL,
    operation        TEXT,
    phase            TEXT,
    percent          INTEGER NOT NULL DEFAULT 0,
    reason           TEXT,
    message          TEXT,
    cloud_account_id TEXT,
    zone             TEXT,
    vpc_id           TEXT,
    load_balancer    TEXT,
    live_sessions    INTEGER,
    live_tps         INTEGER,
    live_at          TEXT,
    agent_last_seen_at TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
) STRICT;
-- Names are unique among the project's deployments that still exist.
CREATE UNIQUE INDEX deployments_name_in_project ON deployments (project_id, name) WHERE status <> 'deleted';
-- One index per sort order of the list, so a page is read in order instead of sorted.
CREATE INDEX deployments_by_created ON deployments (project_id, created_at, id);
CREATE INDEX deployments_by_name ON deployments (project_id, name, id);
CREATE INDEX deployments_by_status ON deployments (project_id, status, name, id);

-- One key per operation; a regenerated key replaces the previous one (which stops working).
CREATE TABLE bootstrap_keys (
    deployment_id TEXT PRIMARY KEY NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
    operation     TEXT NOT NULL,
    key_hash      TEXT NOT NULL UNIQUE,
    issued_at     TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT
) STRICT;

-- The agent of a deployment, from its last registration; last_seq orders its messages.
CREATE TABLE agent_tokens (
    deployment_id TEXT PRIMARY KEY NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
    token_hash    TEXT NOT NULL UNIQUE,
    operation     TEXT NOT NULL,
    last_seq      INTEGER NOT NULL DEFAULT 0,
    issued_at     TEXT NOT NULL
) STRICT;
