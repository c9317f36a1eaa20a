-- The actions the audit log holds, kept by trigger: an action prefix (`deployment.`) is asked as
-- one index read per action it covers, newest first, merged (db::audit::list). Asked as one range
-- of the action index, SQLite had to sort every match (half the log for `deployment.`).
CREATE TABLE audit_actions (action TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
INSERT OR IGNORE INTO audit_actions (action) SELECT DISTINCT action FROM audit_log;
CREATE TRIGGER audit_actions_seen AFTER INSERT ON audit_log
BEGIN
    INSERT OR IGNORE INTO audit_actions (action) VALUES (NEW.action);
END;
