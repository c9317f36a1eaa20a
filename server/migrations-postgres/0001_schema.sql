-- The control plane's schema on PostgreSQL: the tables, indexes and rules of SQLite's migrations
-- 0001–0016 (server/migrations), as they stand after the last of them, in PostgreSQL's terms.
-- Times are `timestamptz` (microseconds, like the text SQLite stores), counters `bigint`, and the
-- rules SQLite keeps in triggers (an append-only audit log, running totals) are triggers here too.
-- Later changes get their own numbered file in this directory, beside SQLite's.

-- Refuses the statement with the message given to the trigger.
CREATE FUNCTION byoc_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0];
END
$$;

-- SQLite's instr (the position of one text in another, 0 when absent), which the name filter
-- uses: matching the user's text literally, with no LIKE wildcards.
CREATE FUNCTION instr(haystack TEXT, needle TEXT) RETURNS INTEGER
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT strpos(haystack, needle) $$;

-- Names and actions sort by their bytes, as in SQLite: "C" below, whatever the database's locale.

CREATE TABLE settings (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY NOT NULL,
    username      TEXT COLLATE "C" NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    org_role      TEXT NOT NULL CHECK (org_role IN ('owner', 'member')),
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    secret_hash  TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

CREATE TABLE projects (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT COLLATE "C" NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE project_members (
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
    created_at TIMESTAMPTZ NOT NULL,
    version    BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_members_by_user ON project_members (user_id);

CREATE TABLE idempotency_keys (
    actor_id     TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       BIGINT NOT NULL,
    body         TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (actor_id, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

-- The audit log is append-only, enforced here and not only by the server: no UPDATE, DELETE or
-- TRUNCATE of it succeeds.
CREATE TABLE audit_log (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    actor_kind  TEXT NOT NULL,
    actor_id    TEXT,
    actor_name  TEXT COLLATE "C" NOT NULL,
    action      TEXT COLLATE "C" NOT NULL,
    target_kind TEXT NOT NULL,
    target_id   TEXT,
    project_id  TEXT,
    outcome     TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    source      TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_by_time ON audit_log (at);
CREATE INDEX audit_log_by_actor_name ON audit_log (actor_name, id);
CREATE INDEX audit_log_by_actor_id ON audit_log (actor_id, id);
CREATE INDEX audit_log_by_action ON audit_log (action, id);
CREATE INDEX audit_log_by_target ON audit_log (target_id, id);
CREATE INDEX audit_log_by_project ON audit_log (project_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION byoc_refuse('audit entries cannot be changed');
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION byoc_refuse('audit entries cannot be deleted');
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION byoc_refuse('audit entries cannot be deleted');

-- Every action the log has seen, for the audit page's filter.
CREATE TABLE audit_actions (action TEXT COLLATE "C" PRIMARY KEY);
CREATE FUNCTION audit_actions_seen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_actions (action) VALUES (NEW.action) ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER audit_actions_seen AFTER INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_actions_seen();

-- Repeated failures in one hour are counted on their first entry instead of each writing one.
CREATE TABLE audit_repeats (
    audit_id   BIGINT PRIMARY KEY NOT NULL REFERENCES audit_log (id),
    -- The hour of the first entry: the first 13 characters of its RFC 3339 time (2030-01-01T10).
    bucket     TEXT NOT NULL,
    action     TEXT NOT NULL,
    actor_kind TEXT NOT NULL,
    source     TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    -- How many more times the same failure happened in that hour, after the entry.
    repeats    BIGINT NOT NULL DEFAULT 0 CHECK (repeats >= 0),
    last_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (bucket, action, actor_kind, source, outcome)
);
CREATE TRIGGER audit_repeats_identity_fixed
    BEFORE UPDATE OF audit_id, bucket, action, actor_kind, source, outcome ON audit_repeats
    FOR EACH ROW EXECUTE FUNCTION byoc_refuse('audit repeat counters cannot be moved');
CREATE TRIGGER audit_repeats_only_grow BEFORE UPDATE OF repeats ON audit_repeats
    FOR EACH ROW WHEN (NEW.repeats < OLD.repeats)
    EXECUTE FUNCTION byoc_refuse('audit repeat counters only grow');
CREATE TRIGGER audit_repeats_no_delete BEFORE DELETE ON audit_repeats
    FOR EACH ROW EXECUTE FUNCTION byoc_refuse('audit repeat counters cannot be deleted');
CREATE TRIGGER audit_repeats_no_truncate BEFORE TRUNCATE ON audit_repeats
    FOR EACH STATEMENT EXECUTE FUNCTION byoc_refuse('audit repeat counters cannot be deleted');

CREATE TABLE licences (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    licence_id   TEXT NOT NULL,
    line         TEXT NOT NULL,
    installed_at TIMESTAMPTZ NOT NULL,
    installed_by TEXT NOT NULL,
    replaced_at  TIMESTAMPTZ
);

CREATE TABLE deployments (
    id                 TEXT PRIMARY KEY NOT NULL,
    project_id         TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name               TEXT COLLATE "C" NOT NULL,
    cloud              TEXT NOT NULL,
    region             TEXT NOT NULL,
    vpc_cidr           TEXT NOT NULL,
    sessions           BIGINT NOT NULL,
    tps                BIGINT NOT NULL,
    tier               BIGINT NOT NULL,
    node_type          TEXT NOT NULL,
    node_vcpu          BIGINT NOT NULL,
    node_memory_gib    BIGINT NOT NULL,
    nodes              BIGINT NOT NULL,
    agent_type         TEXT NOT NULL,
    domain             TEXT NOT NULL,
    certificate        TEXT,             -- JSON CertSummary (public data only)
    tags               TEXT NOT NULL,    -- JSON [{key, value}]
    status             TEXT NOT NULL,
    operation          TEXT,
    phase              TEXT,
    percent            BIGINT NOT NULL DEFAULT 0,
    reason             TEXT,
    message            TEXT,
    cloud_account_id   TEXT,
    zone               TEXT,
    vpc_id             TEXT,
    load_balancer      TEXT,
    live_sessions      BIGINT,
    live_tps           BIGINT,
    live_at            TIMESTAMPTZ,
    agent_last_seen_at TIMESTAMPTZ,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    version            BIGINT NOT NULL DEFAULT 1,
    attempt            BIGINT NOT NULL DEFAULT 1,
    holds_licence      BIGINT NOT NULL DEFAULT 0 CHECK (holds_licence IN (0, 1))
);
CREATE UNIQUE INDEX deployments_name_in_project ON deployments (project_id, name) WHERE status <> 'deleted';
CREATE INDEX deployments_by_name ON deployments (project_id, name, id);
CREATE INDEX deployments_by_status ON deployments (project_id, status, name, id);
CREATE INDEX deployments_by_created ON deployments (project_id, created_at, id, status, name);
CREATE INDEX deployments_by_status_created ON deployments (project_id, status, created_at, id, name);
CREATE INDEX deployments_failed ON deployments (updated_at) WHERE status = 'failed';

-- The licence capacity held by deployments, as running totals (see SQLite's 0009).
CREATE TABLE licence_totals (
    id       BIGINT PRIMARY KEY NOT NULL CHECK (id = 1),
    sessions BIGINT NOT NULL,
    tps      BIGINT NOT NULL,
    vcpu     BIGINT NOT NULL
);
INSERT INTO licence_totals (id, sessions, tps, vcpu) VALUES (1, 0, 0, 0);

CREATE FUNCTION licence_totals_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.holds_licence = 1 THEN
        UPDATE licence_totals SET sessions = sessions - OLD.sessions, tps = tps - OLD.tps,
            vcpu = vcpu - OLD.nodes * OLD.node_vcpu WHERE id = 1;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF NEW.holds_licence = 1 THEN
            UPDATE licence_totals SET sessions = sessions + NEW.sessions, tps = tps + NEW.tps,
                vcpu = vcpu + NEW.nodes * NEW.node_vcpu WHERE id = 1;
        END IF;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER licence_totals_on_insert AFTER INSERT ON deployments
    FOR EACH ROW WHEN (NEW.holds_licence = 1) EXECUTE FUNCTION licence_totals_follow();
CREATE TRIGGER licence_totals_on_update
    AFTER UPDATE OF holds_licence, sessions, tps, nodes, node_vcpu ON deployments
    FOR EACH ROW WHEN (OLD.holds_licence = 1 OR NEW.holds_licence = 1)
    EXECUTE FUNCTION licence_totals_follow();
CREATE TRIGGER licence_totals_on_delete AFTER DELETE ON deployments
    FOR EACH ROW WHEN (OLD.holds_licence = 1) EXECUTE FUNCTION licence_totals_follow();

-- Deployments per project and status (see SQLite's 0012), and a change counter per project for
-- the list's ETag (0014).
CREATE TABLE deployment_counts (
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    status     TEXT NOT NULL,
    n          BIGINT NOT NULL CHECK (n >= 0),
    PRIMARY KEY (project_id, status)
);
CREATE TABLE deployment_changes (
    project_id TEXT PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    n          BIGINT NOT NULL CHECK (n >= 0)
);

CREATE FUNCTION deployments_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO deployment_counts (project_id, status, n) VALUES (NEW.project_id, NEW.status, 1)
            ON CONFLICT (project_id, status) DO UPDATE SET n = deployment_counts.n + 1;
        INSERT INTO deployment_changes (project_id, n) VALUES (NEW.project_id, 1)
            ON CONFLICT (project_id) DO UPDATE SET n = deployment_changes.n + 1;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE deployment_counts SET n = n - 1
            WHERE project_id = OLD.project_id AND status = OLD.status;
        UPDATE deployment_changes SET n = n + 1 WHERE project_id = OLD.project_id;
    ELSE
        IF OLD.status IS DISTINCT FROM NEW.status OR OLD.project_id IS DISTINCT FROM NEW.project_id THEN
            UPDATE deployment_counts SET n = n - 1
                WHERE project_id = OLD.project_id AND status = OLD.status;
            INSERT INTO deployment_counts (project_id, status, n) VALUES (NEW.project_id, NEW.status, 1)
                ON CONFLICT (project_id, status) DO UPDATE SET n = deployment_counts.n + 1;
        END IF;
        INSERT INTO deployment_changes (project_id, n) VALUES (NEW.project_id, 1)
            ON CONFLICT (project_id) DO UPDATE SET n = deployment_changes.n + 1;
        IF OLD.project_id IS DISTINCT FROM NEW.project_id THEN
            UPDATE deployment_changes SET n = n + 1 WHERE project_id = OLD.project_id;
        END IF;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER deployments_counted AFTER INSERT OR UPDATE OR DELETE ON deployments
    FOR EACH ROW EXECUTE FUNCTION deployments_counted();

CREATE TABLE bootstrap_keys (
    deployment_id TEXT PRIMARY KEY NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
    operation     TEXT NOT NULL,
    key_hash      TEXT NOT NULL UNIQUE,
    issued_at     TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    used_at       TIMESTAMPTZ
);
CREATE INDEX bootstrap_keys_unused ON bootstrap_keys (expires_at) WHERE used_at IS NULL;

CREATE TABLE peerings (
    id              TEXT PRIMARY KEY NOT NULL,
    deployment_id   TEXT NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
    cloud           TEXT NOT NULL,
    peer_cidr       TEXT NOT NULL,
    peering_id      TEXT,             -- aws/aws-cn pcx-…, aliyun cen-…
    peer_account_id TEXT,             -- aws account ID, aliyun UID
    peer_vpc_id     TEXT,             -- aws/aliyun vpc-…
    peer_project_id TEXT,             -- gcp
    peer_network    TEXT,             -- gcp
    identity        TEXT NOT NULL,    -- what makes two peerings the same one (core's PeeringSpec::identity)
    description     TEXT,
    status          TEXT NOT NULL,
    reason          TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    version         BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX peerings_identity ON peerings (deployment_id, identity) WHERE status <> 'removed';
CREATE INDEX peerings_by_deployment ON peerings (deployment_id, created_at, id);

CREATE TABLE privatelinks (
    id              TEXT PRIMARY KEY NOT NULL,
    deployment_id   TEXT NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
    cloud           TEXT NOT NULL,
    service_id      TEXT NOT NULL,    -- as entered
    service_key     TEXT NOT NULL,    -- the service whichever form was entered (core's EndpointServiceId::key)
    description     TEXT,
    status          TEXT NOT NULL,
    reason          TEXT,
    endpoint_domain TEXT,
    endpoint_ip     TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    version         BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX privatelinks_service ON privatelinks (deployment_id, service_key) WHERE status <> 'removed';
CREATE INDEX privatelinks_by_deployment ON privatelinks (deployment_id, created_at, id);
CREATE INDEX privatelinks_waiting ON privatelinks (created_at) WHERE status = 'pending_acceptance';

CREATE TABLE sign_in_attempts (
    scope      TEXT NOT NULL CHECK (scope IN ('account_client', 'client')),
    client     TEXT NOT NULL,
    username   TEXT NOT NULL,
    count      BIGINT NOT NULL CHECK (count > 0),
    last_at_ms BIGINT NOT NULL,
    PRIMARY KEY (scope, client, username)
);
CREATE INDEX sign_in_attempts_by_username ON sign_in_attempts (username);
CREATE INDEX sign_in_attempts_by_age ON sign_in_attempts (last_at_ms);

CREATE TABLE agent_tokens (
    token_hash    TEXT PRIMARY KEY NOT NULL,
    deployment_id TEXT NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
    operation     TEXT NOT NULL,
    attempt       BIGINT NOT NULL,
    last_seq      BIGINT NOT NULL DEFAULT 0,
    issued_at     TIMESTAMPTZ NOT NULL,
    last_used_at  TIMESTAMPTZ NOT NULL,
    replaced_at   TIMESTAMPTZ,
    kind          TEXT NOT NULL DEFAULT 'run' CHECK (kind IN ('run', 'node'))
);
CREATE INDEX agent_tokens_by_deployment ON agent_tokens (deployment_id);
CREATE INDEX agent_tokens_by_last_use ON agent_tokens (last_used_at);
