-- Deployments counted by project and status, kept by triggers in the transaction of each change,
-- so a list's total and the Overview's counts are read from a few rows instead of counting every
-- deployment on each request (issue 17: a first page cost 57 gets at 100,000 deployments).
CREATE TABLE deployment_counts (
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    status     TEXT NOT NULL,
    n          INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (project_id, status)
) STRICT, WITHOUT ROWID;

INSERT INTO deployment_counts (project_id, status, n)
    SELECT project_id, status, COUNT(*) FROM deployments GROUP BY project_id, status;

CREATE TRIGGER deployment_counts_insert AFTER INSERT ON deployments
BEGIN
    INSERT OR IGNORE INTO deployment_counts (project_id, status, n) VALUES (NEW.project_id, NEW.status, 0);
    UPDATE deployment_counts SET n = n + 1 WHERE project_id = NEW.project_id AND status = NEW.status;
END;

CREATE TRIGGER deployment_counts_update AFTER UPDATE OF status, project_id ON deployments
WHEN OLD.status IS NOT NEW.status OR OLD.project_id IS NOT NEW.project_id
BEGIN
    UPDATE deployment_counts SET n = n - 1 WHERE project_id = OLD.project_id AND status = OLD.status;
    INSERT OR IGNORE INTO deployment_counts (project_id, status, n) VALUES (NEW.project_id, NEW.status, 0);
    UPDATE deployment_counts SET n = n + 1 WHERE project_id = NEW.project_id AND status = NEW.status;
END;

CREATE TRIGGER deployment_counts_delete AFTER DELETE ON deployments
BEGIN
    UPDATE deployment_counts SET n = n - 1 WHERE project_id = OLD.project_id AND status = OLD.status;
END;
