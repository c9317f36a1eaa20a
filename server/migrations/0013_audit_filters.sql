-- Every filter of the audit log (GET /api/v1/audit) is served by an index, newest first: each
-- index ends with id, so "this actor's entries before the cursor, newest first" is one range
-- read even with a million entries. An action prefix (`project.`) is asked as a range of the
-- action index (db::audit::list).
CREATE INDEX audit_log_by_actor_name ON audit_log (actor_name, id);
CREATE INDEX audit_log_by_actor_id ON audit_log (actor_id, id);
CREATE INDEX audit_log_by_action ON audit_log (action, id);
CREATE INDEX audit_log_by_target ON audit_log (target_id, id);
CREATE INDEX audit_log_by_project ON audit_log (project_id, id);
