-- +goose Up
-- Escalation and the second channel (issue 8).
--   opened_at / opened_by: when a member of staff first opened the enquiry's
--     detail page, and who (a staff email, never patient data); an urgent
--     enquiry that stays unopened is re-alerted.
--   reminders_sent: how many urgent reminders went out; each reminder job
--     advances it by exactly one, which makes a re-run after a crash a no-op.
--   webhook_sent_at: when the "enquiry.created" webhook was accepted (2xx).
--   alert_failed_at / alert_error: when the staff alert was given up on (a
--     permanent refusal or attempts exhausted) and the scrubbed reason; such
--     enquiries head the admin queue until opened or delivered.
ALTER TABLE enquiry
    ADD COLUMN opened_at       timestamptz,
    ADD COLUMN opened_by       text,
    ADD COLUMN reminders_sent  integer NOT NULL DEFAULT 0,
    ADD COLUMN webhook_sent_at timestamptz,
    ADD COLUMN alert_failed_at timestamptz,
    ADD COLUMN alert_error     text;

CREATE INDEX enquiry_alert_failed_idx ON enquiry (alert_failed_at)
    WHERE alert_failed_at IS NOT NULL AND alert_sent_at IS NULL;
