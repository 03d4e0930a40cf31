-- +goose Up
-- Hardening (issue 4): spam quarantine, single-use form tokens, confirmation
-- mail caps, and the "reached scheduled" mark that retention relies on.

-- A quarantined enquiry is stored but sends no email (unless urgent) until
-- staff release it. spam_reason is a code ("honeypot", "too_fast"), never
-- anything the sender typed.
ALTER TABLE enquiry ADD COLUMN quarantined_at timestamptz;
ALTER TABLE enquiry ADD COLUMN spam_reason text NOT NULL DEFAULT '';
ALTER TABLE enquiry ADD COLUMN released_at timestamptz;
CREATE INDEX enquiry_quarantine_idx ON enquiry (quarantined_at) WHERE quarantined_at IS NOT NULL;

-- Set by the database the first time the status becomes 'scheduled', so that
-- retention never purges an enquiry that reached it, whatever its status is now.
ALTER TABLE enquiry ADD COLUMN scheduled_at timestamptz;
-- +goose StatementBegin
CREATE FUNCTION enquiry_mark_scheduled() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'scheduled' AND NEW.scheduled_at IS NULL THEN
        NEW.scheduled_at := now();
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER enquiry_mark_scheduled BEFORE INSERT OR UPDATE OF status ON enquiry
    FOR EACH ROW EXECUTE FUNCTION enquiry_mark_scheduled();
UPDATE enquiry SET scheduled_at = now() WHERE status = 'scheduled' AND scheduled_at IS NULL;

-- Nonces of form tokens already used: a token works once, on any replica.
-- Rows older than a token's lifetime are deleted by the retention job.
CREATE TABLE form_token_use (
    nonce   bytea       PRIMARY KEY,
    used_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX form_token_use_at_idx ON form_token_use (used_at);

-- Counters for confirmation-mail caps, shared by replicas: one row per
-- recipient (keyed hash of the address) per day, and one 'global' row per hour.
CREATE TABLE mail_quota (
    key          text        NOT NULL,
    window_start timestamptz NOT NULL,
    n            integer     NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX mail_quota_window_idx ON mail_quota (window_start);
