-- Installed licences. The newest row without replaced_at is in force; older ones are history.
-- The signed line is kept so the licence can be verified again at any time.
CREATE TABLE licences (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    licence_id   TEXT NOT NULL,
    line         TEXT NOT NULL,
    installed_at TEXT NOT NULL,
    installed_by TEXT NOT NULL,
    replaced_at  TEXT
) STRICT;
