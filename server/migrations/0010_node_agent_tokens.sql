-- The agent node's own token (issue "Real provisioning on AWS"): issued at each create
-- registration beside the run's token, it sends heartbeats and network reports only, and is not
-- bound to an operation attempt, so the node keeps reporting after a stop and a start. A newer
-- create registration replaces it; the deployment's state machine refuses its messages unless the
-- deployment runs.
ALTER TABLE agent_tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'run' CHECK (kind IN ('run', 'node'));
