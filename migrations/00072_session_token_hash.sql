-- +goose Up
-- Sessions are now kept under the SHA-256 of their token (hex), never the
-- token itself, so a copy of this table opens no session. Rows written
-- before hold the plain token: they can no longer be found, so they are
-- deleted here rather than left for the expiry sweep. Everyone signs in again.
DELETE FROM sessions;
