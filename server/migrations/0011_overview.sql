-- The Overview's attention lists (db/overview.rs): each reads only the few rows it shows, however
-- many deployments, links and keys there are.
CREATE INDEX deployments_failed ON deployments (updated_at) WHERE status = 'failed';
CREATE INDEX privatelinks_waiting ON privatelinks (created_at) WHERE status = 'pending_acceptance';
CREATE INDEX bootstrap_keys_unused ON bootstrap_keys (expires_at) WHERE used_at IS NULL;
