-- +goose Up
-- What the sealed answers of an enquiry are bound to (the AES-GCM associated
-- data; intake/seal_binding.go):
--   1: the submission_id only: the clear columns beside it (reference,
--      triage, crisis, rules_version) could be changed or swapped between
--      rows unnoticed. Every row written before this migration.
--   2: the submission_id, reference, triage, crisis and rules_version: a
--      change to any of them makes the row fail to open.
-- The store writes 2; rows at 1 stay readable until `intake rotate-key`
-- re-seals them at 2. The default is 1 so that a row written without naming
-- the version is read the old way.
ALTER TABLE enquiry ADD COLUMN seal_version smallint NOT NULL DEFAULT 1 CHECK (seal_version IN (1, 2));
CREATE INDEX enquiry_seal_version_idx ON enquiry (seal_version) WHERE seal_version < 2;
