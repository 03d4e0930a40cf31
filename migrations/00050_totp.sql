-- +goose Up
-- Staff two-factor sign-in (issue 8, part 3).
--   totp_key_id / totp_sealed: the TOTP secret, sealed under DATA_KEY like
--     notes (AES-256-GCM, bound to the account id). Set at the start of
--     enrolment; totp_enabled_at is set only once a code confirms it.
--   totp_last_step: the last 30-second step whose code was accepted, so a
--     code cannot be replayed within its step (RFC 6238 section 5.2).
ALTER TABLE staff_user
    ADD COLUMN totp_key_id     text,
    ADD COLUMN totp_sealed     bytea,
    ADD COLUMN totp_enabled_at timestamptz,
    ADD COLUMN totp_last_step  bigint NOT NULL DEFAULT 0;

-- One-time recovery codes: random, shown once, kept only as a salted
-- SHA-256 (they carry enough entropy that a slow hash is not needed).
CREATE TABLE staff_recovery_code (
    id       bigserial   PRIMARY KEY,
    user_id  bigint      NOT NULL REFERENCES staff_user (id) ON DELETE CASCADE,
    salt     bytea       NOT NULL,
    hash     bytea       NOT NULL,
    used_at  timestamptz
);
CREATE INDEX staff_recovery_code_user_idx ON staff_recovery_code (user_id) WHERE used_at IS NULL;
