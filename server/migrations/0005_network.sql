-- VPC peerings and PrivateLinks of a deployment (SPEC §6). Rows stay after removal (status
-- 'removed') so audit entries keep pointing at something; lists leave them out.

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
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
) STRICT;
-- The same peer network only once per deployment until the earlier one is removed.
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
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
) STRICT;
-- One link per endpoint service per deployment (SPEC §6) until the earlier one is removed.
CREATE UNIQUE INDEX privatelinks_service ON privatelinks (deployment_id, service_key) WHERE status <> 'removed';
CREATE INDEX privatelinks_by_deployment ON privatelinks (deployment_id, created_at, id);
