-- The licence capacity held by deployments, kept as running totals so that checking a create or
-- a start costs the same however many deployments exist (before, every check read every row).
-- Which states hold capacity is core's rule (`Status::holds_licence`): the server writes its
-- answer into `holds_licence` with every status it stores, and these triggers only add up the
-- flagged rows. The server recomputes both at start, so the totals cannot drift for long.
ALTER TABLE deployments ADD COLUMN holds_licence INTEGER NOT NULL DEFAULT 0
    CHECK (holds_licence IN (0, 1));

CREATE TABLE licence_totals (
    id       INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    sessions INTEGER NOT NULL,
    tps      INTEGER NOT NULL,
    vcpu     INTEGER NOT NULL
) STRICT;
INSERT INTO licence_totals (id, sessions, tps, vcpu) VALUES (1, 0, 0, 0);

CREATE TRIGGER licence_totals_on_insert AFTER INSERT ON deployments WHEN NEW.holds_licence = 1
BEGIN
    UPDATE licence_totals SET sessions = sessions + NEW.sessions, tps = tps + NEW.tps,
        vcpu = vcpu + NEW.nodes * NEW.node_vcpu WHERE id = 1;
END;

CREATE TRIGGER licence_totals_on_update
AFTER UPDATE OF holds_licence, sessions, tps, nodes, node_vcpu ON deployments
WHEN OLD.holds_licence = 1 OR NEW.holds_licence = 1
BEGIN
    UPDATE licence_totals SET
        sessions = sessions - OLD.holds_licence * OLD.sessions + NEW.holds_licence * NEW.sessions,
        tps = tps - OLD.holds_licence * OLD.tps + NEW.holds_licence * NEW.tps,
        vcpu = vcpu - OLD.holds_licence * OLD.nodes * OLD.node_vcpu
                    + NEW.holds_licence * NEW.nodes * NEW.node_vcpu
    WHERE id = 1;
END;

CREATE TRIGGER licence_totals_on_delete AFTER DELETE ON deployments WHEN OLD.holds_licence = 1
BEGIN
    UPDATE licence_totals SET sessions = sessions - OLD.sessions, tps = tps - OLD.tps,
        vcpu = vcpu - OLD.nodes * OLD.node_vcpu WHERE id = 1;
END;
