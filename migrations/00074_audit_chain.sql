-- +goose Up
-- A hash chain over the audit log, so that a change to history is evident
-- even when it comes from someone the database lets past the append-only
-- triggers (the tables' owner, a superuser). Each row carries:
--   seq:  its place in the chain, 1, 2, 3, … with no gaps;
--   hash: SHA-256 of the previous row's hash and of this row's columns.
-- The database computes both, in a trigger, under a transaction-scoped
-- advisory lock: inserts from several replicas at once wait for each other
-- there, so each sees the row before it and the chain never forks.
-- `intake audit verify` recomputes the chain (intake/audit_chain.go holds the
-- same encoding) and reports the first row that does not match.

ALTER TABLE audit_log ADD COLUMN seq bigint, ADD COLUMN hash bytea;

-- The encoding: the previous hash (empty before the first row), then id, seq
-- and the time in microseconds since 1970 as 8-byte big-endian integers, then
-- actor, action, address, reference and detail, each as its UTF-8 length (4
-- bytes, big-endian) followed by its bytes.
-- +goose StatementBegin
CREATE FUNCTION audit_log_row_hash(prev bytea, id bigint, seq bigint, at timestamptz, actor text,
                                   action text, address text, reference text, detail text)
RETURNS bytea LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT sha256(prev || int8send(id) || int8send(seq)
        || int8send((extract(epoch FROM at) * 1000000)::bigint)
        || int4send(octet_length(convert_to(actor, 'UTF8'))) || convert_to(actor, 'UTF8')
        || int4send(octet_length(convert_to(action, 'UTF8'))) || convert_to(action, 'UTF8')
        || int4send(octet_length(convert_to(address, 'UTF8'))) || convert_to(address, 'UTF8')
        || int4send(octet_length(convert_to(reference, 'UTF8'))) || convert_to(reference, 'UTF8')
        || int4send(octet_length(convert_to(detail, 'UTF8'))) || convert_to(detail, 'UTF8'))
$$;
-- +goose StatementEnd

-- Existing rows join the chain in the order they were written.
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete;
-- +goose StatementBegin
DO $$
DECLARE
    r    record;
    prev bytea := ''::bytea;
    n    bigint := 0;
BEGIN
    FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
        n := n + 1;
        prev := audit_log_row_hash(prev, r.id, n, r.at, r.actor, r.action, r.address, r.reference, r.detail);
        UPDATE audit_log SET seq = n, hash = prev WHERE id = r.id;
    END LOOP;
END;
$$;
-- +goose StatementEnd
ALTER TABLE audit_log ALTER COLUMN seq SET NOT NULL, ALTER COLUMN hash SET NOT NULL;
CREATE UNIQUE INDEX audit_log_seq_idx ON audit_log (seq);

-- Each new row takes the next place. The lock is held until the inserting
-- transaction ends, and under READ COMMITTED each statement of this function
-- sees what committed before it ran, so the row read as the last is the last.
-- A snapshot taken earlier (REPEATABLE READ, SERIALIZABLE) could miss a row
-- committed meanwhile and fork the chain: such inserts are refused.
-- Whatever the inserter sends for seq and hash is overwritten.
-- +goose StatementBegin
CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last_seq  bigint;
    last_hash bytea;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'audit_log: append under READ COMMITTED (the hash chain needs the latest row)';
    END IF;
    PERFORM pg_advisory_xact_lock(7305912005);
    SELECT seq, hash INTO last_seq, last_hash FROM audit_log ORDER BY seq DESC LIMIT 1;
    NEW.seq := coalesce(last_seq, 0) + 1;
    NEW.hash := audit_log_row_hash(coalesce(last_hash, ''::bytea), NEW.id, NEW.seq, NEW.at, NEW.actor,
                                   NEW.action, NEW.address, NEW.reference, NEW.detail);
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

-- ENABLE ALWAYS: the triggers fire even in a session with
-- session_replication_role = replica (which skips ordinary triggers).
ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_chain;
ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_update_delete;
ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_truncate;
