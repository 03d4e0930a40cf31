-- +goose Up
-- The audit log: who did what, when, from where, to which enquiry. Entries
-- hold no patient data (only the opaque reference), so they survive erasure.
-- It is append-only: the database itself refuses UPDATE, DELETE and TRUNCATE.
CREATE TABLE audit_log (
    id         bigserial   PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    actor      text        NOT NULL,              -- a staff email, "system" or "cli:<user>"
    action     text        NOT NULL,              -- e.g. sign_in, view_enquiry, set_status, purge
    address    text        NOT NULL DEFAULT '',   -- client address, when the action came over HTTP
    reference  text        NOT NULL DEFAULT '',   -- the enquiry's reference, when there is one
    detail     text        NOT NULL DEFAULT ''    -- non-personal detail, e.g. "status=contacted"
);
CREATE INDEX audit_log_reference_idx ON audit_log (reference, at);
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- What is left of an enquiry after erasure or a retention purge: that it
-- existed, when it went, who or what removed it, and why.
CREATE TABLE enquiry_tombstone (
    reference   text        PRIMARY KEY,
    received_at timestamptz NOT NULL,
    removed_at  timestamptz NOT NULL DEFAULT now(),
    actor       text        NOT NULL,
    reason      text        NOT NULL CHECK (reason IN ('erasure', 'retention'))
);
