-- +goose Up
-- One row per enquiry. Everything that identifies the person or describes their
-- health lives in `sealed` (AES-256-GCM under DATA_KEY, key id beside it); the
-- triage level and status stay in clear so that the queue can be sorted and
-- filtered without decrypting.
CREATE TABLE enquiry (
    id                   bigserial PRIMARY KEY,
    reference            text        NOT NULL UNIQUE,
    submission_id        uuid        NOT NULL UNIQUE,
    triage               text        NOT NULL CHECK (triage IN ('routine', 'review', 'hold', 'urgent')),
    crisis               boolean     NOT NULL,
    status               text        NOT NULL DEFAULT 'new'
                         CHECK (status IN ('new', 'contacted', 'scheduled', 'not_suitable', 'closed')),
    rules_version        text        NOT NULL,
    key_id               text        NOT NULL,
    sealed               bytea       NOT NULL,
    email_hash           bytea       NOT NULL,
    consent_version      text        NOT NULL,
    consent_at           timestamptz NOT NULL,
    received_at          timestamptz NOT NULL DEFAULT now(),
    alert_sent_at        timestamptz,
    confirmation_sent_at timestamptz
);

-- The queue: open enquiries by triage (urgent first), then oldest first.
CREATE INDEX enquiry_queue_idx ON enquiry (status, triage, received_at, id);
CREATE INDEX enquiry_email_hash_idx ON enquiry (email_hash);
CREATE INDEX enquiry_received_idx ON enquiry (received_at, id);
