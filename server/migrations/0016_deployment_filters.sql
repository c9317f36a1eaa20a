-- A filtered list reads the matching rows' index entries, not every row of the project
-- (issue 17). Newest or oldest first within a status, and by name: each index ends in the
-- columns the filters test (status, name), so SQLite checks a filter on the index entry and
-- reads a row only when it matches. At 100,000 deployments a name that matches none walked every
-- row of the project (each a table read) before.
DROP INDEX deployments_by_created;
CREATE INDEX deployments_by_created ON deployments (project_id, created_at, id, status, name);
CREATE INDEX deployments_by_status_created ON deployments (project_id, status, created_at, id, name);
