-- +goose Up
-- Sign-in throttling by known browser. A failed guess from a browser that
-- completed a sign-in to the account before (it carries a signed device
-- cookie) records the cookie's random id here and counts against that
-- browser alone, not against the account; rows without one count against
-- the account, as before. Every guess is recorded before it is checked and
-- removed when it proves right, so guesses sent at once cannot all be
-- checked.
ALTER TABLE signin_failure ADD COLUMN device text;
CREATE INDEX signin_failure_device_idx ON signin_failure (device, at) WHERE device IS NOT NULL;
