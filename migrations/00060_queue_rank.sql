-- +goose Up
-- The admin queue sorts by triage (urgent, hold, review, routine), then
-- oldest first, and pages with a keyset cursor on that order. A stored rank
-- and an index on (rank, received_at, id) let each page read only its own
-- rows, whatever the number of enquiries (the sort by an expression had to
-- read and sort the whole table for every page).
ALTER TABLE enquiry ADD COLUMN triage_rank smallint GENERATED ALWAYS AS (
    CASE triage WHEN 'urgent' THEN 1 WHEN 'hold' THEN 2 WHEN 'review' THEN 3 ELSE 4 END) STORED;
CREATE INDEX enquiry_rank_idx ON enquiry (triage_rank, received_at, id);

-- The per-level counts above the queue read only this index (index-only
-- scan): triage and status to find the rows, the other columns to apply the
-- quarantine and date filters without visiting the table.
CREATE INDEX enquiry_count_idx ON enquiry (triage, status) INCLUDE (quarantined_at, received_at);

-- Enquiries whose staff alert has not gone out are few (normally none): a
-- partial index keeps the "undelivered alerts" list at the top of the queue
-- from reading the whole table.
CREATE INDEX enquiry_unalerted_idx ON enquiry (received_at) WHERE alert_sent_at IS NULL AND opened_at IS NULL;

-- A queue filtered by one status (and perhaps one triage level) reads this
-- index in the queue's own order.
CREATE INDEX enquiry_status_rank_idx ON enquiry (status, triage_rank, received_at, id);
