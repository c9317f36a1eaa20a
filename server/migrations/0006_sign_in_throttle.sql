-- Sign-in throttling counts attempts per (username, client) and per client, never per username
-- alone (core::access::throttle); the per-username failure log let anyone lock the owner out.
-- `username` is '' for a client's count over every username (scope 'client').
DROP TABLE sign_in_failures;

CREATE TABLE sign_in_attempts (
    scope      TEXT NOT NULL CHECK (scope IN ('account_client', 'client')),
    client     TEXT NOT NULL,
    username   TEXT NOT NULL,
    count      INTEGER NOT NULL CHECK (count > 0),
    last_at_ms INTEGER NOT NULL,
    PRIMARY KEY (scope, client, username)
) STRICT;
-- `byoc-server users unlock NAME` forgets a username's counts from every client.
CREATE INDEX sign_in_attempts_by_username ON sign_in_attempts (username);
-- Forgotten counts are pruned by age.
CREATE INDEX sign_in_attempts_by_age ON sign_in_attempts (last_at_ms);
