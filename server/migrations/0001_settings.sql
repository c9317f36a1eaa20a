-- Installation-wide facts that must survive restarts, e.g. when the control plane first started
-- (the built-in default licence runs for 14 days from then: SPEC §4).
CREATE TABLE settings (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
