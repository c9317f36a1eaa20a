-- Repeated anonymous failures (wrong sign-ins, unknown bootstrap keys: anything recorded without
-- a known actor) are counted instead of recorded one by one (issue "Hardening"), so a loop of
-- unauthenticated requests cannot grow the database without bound.
--
-- The first such failure of an (action, actor kind, source, outcome) in an hour is an ordinary,
-- append-only audit_log entry; the others of that hour only raise `repeats` on this row beside it.
-- audit_log itself stays strictly append-only (its triggers are untouched). This table is a
-- counter that can only grow: its identity columns never change, `repeats` never decreases, and
-- rows are never deleted. Growth is bounded by sources × actions × hours, not by requests.
CREATE TABLE audit_repeats (
    audit_id   INTEGER PRIMARY KEY NOT NULL REFERENCES audit_log (id),
    -- The hour of the first entry: the first 13 characters of its RFC 3339 time (2030-01-01T10).
    bucket     TEXT NOT NULL,
    action     TEXT NOT NULL,
    actor_kind TEXT NOT NULL,
    source     TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    -- How many more times the same failure happened in that hour, after the entry.
    repeats    INTEGER NOT NULL DEFAULT 0 CHECK (repeats >= 0),
    last_at    TEXT NOT NULL,
    UNIQUE (bucket, action, actor_kind, source, outcome)
) STRICT;

CREATE TRIGGER audit_repeats_identity_fixed
BEFORE UPDATE OF audit_id, bucket, action, actor_kind, source, outcome ON audit_repeats
BEGIN
    SELECT RAISE(ABORT, 'audit repeat counters cannot be moved');
END;
CREATE TRIGGER audit_repeats_only_grow BEFORE UPDATE OF repeats ON audit_repeats
WHEN NEW.repeats < OLD.repeats
BEGIN
    SELECT RAISE(ABORT, 'audit repeat counters only grow');
END;
CREATE TRIGGER audit_repeats_no_delete BEFORE DELETE ON audit_repeats
BEGIN
    SELECT RAISE(ABORT, 'audit repeat counters cannot be deleted');
END;
