-- +goose Up
-- Staff operations: how fast each enquiry gets a person.
--   first_viewed_at: when a member of staff first opened the enquiry's page,
--     set once in the transaction that audits the view (time to first
--     opening). opened_at, from migration 40, is the acknowledgement ("I'm on
--     it"), not a view.
--   first_contact_at: when the first contact attempt was logged (time to
--     first contact, whatever its outcome).
ALTER TABLE enquiry
    ADD COLUMN first_viewed_at  timestamptz,
    ADD COLUMN first_contact_at timestamptz;

-- Each logged try at reaching an enquirer. The note may hold patient data,
-- so it is sealed like a staff note (key id beside it); an attempt without
-- a note has neither. Erasing the enquiry deletes its attempts.
CREATE TABLE enquiry_contact (
    id         bigserial   PRIMARY KEY,
    enquiry_id bigint      NOT NULL REFERENCES enquiry (id) ON DELETE CASCADE,
    method     text        NOT NULL CHECK (method IN ('email', 'phone', 'text')),
    outcome    text        NOT NULL CHECK (outcome IN ('reached', 'no_answer', 'left_message', 'wrong_number')),
    author     text        NOT NULL,
    key_id     text,
    sealed     bytea,
    at         timestamptz NOT NULL DEFAULT now(),
    CHECK ((key_id IS NULL) = (sealed IS NULL))
);
CREATE INDEX enquiry_contact_enquiry_idx ON enquiry_contact (enquiry_id, at);

-- The queue card: the enquirer's first name and preferred contact method,
-- sealed on their own (bound to the reference) so that the queue decrypts
-- what it shows and nothing of the answers beside it. Enquiries stored
-- before this table have none until `intake rotate-key` writes one.
CREATE TABLE enquiry_card (
    enquiry_id bigint PRIMARY KEY REFERENCES enquiry (id) ON DELETE CASCADE,
    key_id     text   NOT NULL,
    sealed     bytea  NOT NULL
);

-- How many of the enquiries received on a day (in CLINIC_TIMEZONE) raised
-- each flag: the dashboard's most frequent flags. Flags are health data and
-- are sealed with the answers; here too nothing is in clear: a flag is
-- counted under a keyed hash of its rule code and reason (DATA_KEY), with
-- the code and reason sealed beside it, and no column links a count to an
-- enquiry. It is written in the enquiry's own transaction, spread over
-- shards (like the confirmation counter) so that concurrent transactions
-- rarely wait for each other's rows; erasure and the retention purge take
-- their enquiry's flags back out; the retention pass folds past days'
-- shards and forgets days older than the dashboard's longest period.
CREATE TABLE flag_tally (
    day    date     NOT NULL,
    flag   bytea    NOT NULL,
    shard  smallint NOT NULL,
    n      integer  NOT NULL CHECK (n >= 0),
    key_id text     NOT NULL,
    sealed bytea    NOT NULL,
    PRIMARY KEY (day, flag, shard)
);

-- The dashboard's and the weekly summary's figures read enquiries by the
-- time they arrived: this index holds every column they use, so a period of
-- 90 days is one index-only range scan, however long the history.
CREATE INDEX enquiry_operations_idx ON enquiry (received_at)
    INCLUDE (triage, status, quarantined_at, first_viewed_at, first_contact_at, scheduled_at);

-- Enquiries still waiting for their first contact are few: the late count
-- (metrics, the weekly summary) and the queue's "late only" filter read
-- this partial index in the queue's order.
CREATE INDEX enquiry_awaiting_idx ON enquiry (triage_rank, received_at, id) INCLUDE (quarantined_at)
    WHERE status = 'new' AND first_contact_at IS NULL;
