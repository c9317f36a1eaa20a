-- The audit log's filters (GET /api/v1/audit) by actor, action, target and project are served by
-- an index, newest first: each index ends with id, so "this actor's entries before the cursor,
-- newest first" is one range read even with a million entries. An actor is read by name and by
-- id, an action prefix action by action (migration 0015), and the reads merged (db::audit::list);
-- a time range reads audit_log_by_time (migration 0002).
CREATE INDEX audit_log_by_actor_name ON audit_log (actor_name, id);
CREATE INDEX audit_log_by_actor_id ON audit_log (actor_id, id);
CREATE INDEX audit_log_by_action ON audit_log (action, id);
CREATE INDEX audit_log_by_target ON audit_log (target_id, id);
CREATE INDEX audit_log_by_project ON audit_log (project_id, id);
