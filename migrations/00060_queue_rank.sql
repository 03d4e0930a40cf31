-- +goose Up
-- The admin queue sorts by triage (urgent, hold, review, routine), then
-- oldest first, and pages with a keyset cursor on that order. A stored rank
-- and an index on (rank, received_at, id) let each page read only its own
-- rows, whatever the number of enquiries (the sort by an expression had to
-- read and sort the whole table for every page).
ALTER TABLE enquiry ADD COLUMN triage_rank smallint GENERATED ALWAYS AS (
    CASE triage WHEN 'urgent' THEN 1 WHEN 'hold' THEN 2 WHEN 'review' THEN 3 ELSE 4 END) STORED;
CREATE INDEX enquiry_rank_idx ON enquiry (triage_rank, received_at, id);
