-- How many times each project's deployments changed (a row added, changed, moved or removed),
-- kept by triggers in the transaction of each change. The list answers with it as its ETag, so a
-- live refresh of an unchanged list is a 304 with no rows read or sent (issue 17).
CREATE TABLE deployment_changes (
    project_id TEXT PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    n          INTEGER NOT NULL CHECK (n >= 0)
) STRICT, WITHOUT ROWID;

-- Every project that may hold deployments has its row (an insert makes one for a new project),
-- so the triggers of a removal or a move out only need to count: an upsert there would make a row
-- again for a project whose deletion cascades to its deployments.
INSERT INTO deployment_changes (project_id, n) SELECT id, 0 FROM projects;

CREATE TRIGGER deployment_changes_insert AFTER INSERT ON deployments
BEGIN
    INSERT INTO deployment_changes (project_id, n) VALUES (NEW.project_id, 1)
        ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER deployment_changes_update AFTER UPDATE ON deployments
BEGIN
    INSERT INTO deployment_changes (project_id, n) VALUES (NEW.project_id, 1)
        ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
    UPDATE deployment_changes SET n = n + 1
        WHERE project_id = OLD.project_id AND OLD.project_id IS NOT NEW.project_id;
END;

CREATE TRIGGER deployment_changes_delete AFTER DELETE ON deployments
BEGIN
    UPDATE deployment_changes SET n = n + 1 WHERE project_id = OLD.project_id;
END;
