-- +goose Up
-- Admin review: staff accounts, their sessions, sign-in throttling, and what
-- staff record about an enquiry (assignment, notes, status history).

-- Staff who sign in to the review UI. Email is stored lower-cased.
-- session_epoch goes up when the account is disabled or its password changes,
-- so every session minted before that stops working at once.
CREATE TABLE staff_user (
    id            bigserial   PRIMARY KEY,
    email         text        NOT NULL UNIQUE,
    role          text        NOT NULL CHECK (role IN ('staff', 'admin')),
    password_hash text        NOT NULL,
    session_epoch integer     NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    disabled_at   timestamptz
);

-- Sessions, in the shape alexedwards/scs/postgresstore expects.
CREATE TABLE sessions (
    token  text        PRIMARY KEY,
    data   bytea       NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- Failed sign-ins, kept in Postgres so that every replica counts the same
-- attempts. Rows older than the throttling window are deleted as new ones come.
CREATE TABLE signin_failure (
    id      bigserial   PRIMARY KEY,
    account text        NOT NULL,
    address text        NOT NULL,
    at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX signin_failure_account_idx ON signin_failure (account, at);
CREATE INDEX signin_failure_address_idx ON signin_failure (address, at);

ALTER TABLE enquiry ADD COLUMN assigned_to bigint REFERENCES staff_user (id);

-- Notes are free text about a person, so they are sealed like the enquiry
-- (AES-256-GCM under DATA_KEY); erasing the enquiry deletes them.
CREATE TABLE enquiry_note (
    id         bigserial   PRIMARY KEY,
    enquiry_id bigint      NOT NULL REFERENCES enquiry (id) ON DELETE CASCADE,
    author     text        NOT NULL,
    key_id     text        NOT NULL,
    sealed     bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX enquiry_note_enquiry_idx ON enquiry_note (enquiry_id, created_at);

CREATE TABLE enquiry_status_change (
    id          bigserial   PRIMARY KEY,
    enquiry_id  bigint      NOT NULL REFERENCES enquiry (id) ON DELETE CASCADE,
    from_status text        NOT NULL,
    to_status   text        NOT NULL,
    actor       text        NOT NULL,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX enquiry_status_change_enquiry_idx ON enquiry_status_change (enquiry_id, at);
