-- +goose Up
-- The key offered during two-factor enrolment now belongs to one session
-- (derived from its token, never stored) and is stored only once a code
-- confirms it. Keys stored per account at the start of an enrolment that was
-- never confirmed were shown to every session of the account: drop them.
UPDATE staff_user SET totp_key_id = NULL, totp_sealed = NULL, totp_last_step = 0
WHERE totp_enabled_at IS NULL AND totp_sealed IS NOT NULL;
