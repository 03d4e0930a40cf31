package main

import (
	"bufio"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// submitScript is, statement for statement, what intake.Store.Submit sends
// for one new enquiry that carries a form token, with the default
// confirmation caps (captured with log_statement=all): BEGIN READ WRITE; the
// enquiry INSERT (unnest of the batch's arrays, here of one); the form
// token's nonce; the recipient's and the global confirmation counters;
// River's JobInsertFastManyNoReturning for the staff alert and the
// confirmation; the queue card and the flag tally (one flag); COMMIT.
// Values the service binds as parameters are literals or pgbench variables
// here; the sealed payload is a random blob of the size a typical sealed
// enquiry has, each recipient is new (as the load generator's are), and a
// flag is one of twelve. River also sends a pg_notify after an insert, but
// at most once per queue per interval, so under load it is absent from
// almost every transaction and left out.
const submitScript = `\set ref random(1000000000000000, 9000000000000000)
\set flag random(1, 12)
BEGIN READ WRITE;
INSERT INTO enquiry (reference, submission_id, triage, crisis, rules_version, key_id, sealed, seal_version,
                     email_hash, consent_version, consent_at, received_at, language, form_version_id,
                     spam_reason, quarantined_at)
SELECT u.*, CASE WHEN u.spam_reason <> '' THEN now() END
FROM unnest(ARRAY[:ref::text], ARRAY[gen_random_uuid()], '{review}'::text[], '{f}'::boolean[],
            '{default-2026.11-1}'::text[], '{e34254ff}'::text[], ARRAY['\x%s'::bytea], '{2}'::smallint[],
            ARRAY[sha256(int8send(:ref))], '{2026-11}'::text[], ARRAY[now()], ARRAY[now()], '{en}'::text[],
            '{1}'::bigint[], '{""}'::text[])
     AS u(reference, submission_id, triage, crisis, rules_version, key_id, sealed, seal_version,
          email_hash, consent_version, consent_at, received_at, language, form_version_id, spam_reason)
ON CONFLICT (submission_id) DO NOTHING
RETURNING id, submission_id \gset
INSERT INTO form_token_use (nonce) SELECT * FROM unnest(ARRAY[sha256(int8send(:ref) || '\x6e'::bytea)]) ON CONFLICT DO NOTHING;
INSERT INTO mail_quota (key, window_start, n)
SELECT key, date_trunc('day', now(), 'UTC'), n FROM unnest(ARRAY['r:' || :ref], '{1}'::int[]) AS q(key, n) ORDER BY key
ON CONFLICT (key, window_start) DO UPDATE SET n = mail_quota.n + excluded.n
RETURNING key, n;
WITH bump AS (
    INSERT INTO mail_quota (key, window_start, n) VALUES ('global:' || (txid_current() %% 16)::text, date_trunc('hour', now()), 1)
    ON CONFLICT (key, window_start) DO UPDATE SET n = mail_quota.n + excluded.n)
SELECT coalesce(sum(n), 0)::int FROM mail_quota WHERE key LIKE 'global:%%' AND window_start = date_trunc('hour', now());
-- name: JobInsertFastManyNoReturning :execrows
INSERT INTO river_job(
    args, created_at, kind, max_attempts, metadata, priority, queue, scheduled_at, state, tags,
    unique_key, unique_states
) SELECT
    unnest(('{"{\"enquiry_id\": ' || :id || '}","{\"enquiry_id\": ' || :id || '}"}')::jsonb[]),
    unnest(ARRAY[now(), now()]::timestamptz[]),
    unnest('{staff_alert,confirmation}'::text[]),
    unnest('{120,120}'::smallint[]),
    unnest('{"{}","{}"}'::jsonb[]),
    unnest('{1,2}'::smallint[]),
    unnest('{mail,mail}'::text[]),
    unnest(ARRAY[now(), now()]::timestamptz[]),
    unnest('{available,available}'::river_job_state[]),
    string_to_array(unnest('{"",""}'::text[]), ','),
    nullif(unnest('{"\\x","\\x"}'::bytea[]), ''),
    nullif(unnest('{0,0}'::integer[]), 0)::bit(8)
ON CONFLICT (unique_key)
    WHERE unique_key IS NOT NULL
        AND unique_states IS NOT NULL
        AND river_job_state_in_bitmask(unique_states, state)
DO NOTHING;
WITH cards AS (
    INSERT INTO enquiry_card (enquiry_id, key_id, sealed)
    SELECT * FROM unnest(ARRAY[:id::bigint], '{e34254ff}'::text[], ARRAY[substr('\x%[1]s'::bytea, 1, 120)]))
INSERT INTO flag_tally (day, flag, shard, n, key_id, sealed)
SELECT day, flag, (txid_current() %% 8)::smallint, count(*)::int,
       (array_agg(key_id ORDER BY key_id))[1], (array_agg(sealed ORDER BY key_id))[1]
FROM unnest(ARRAY[current_date], ARRAY[sha256(int8send(:flag))], '{e34254ff}'::text[],
            ARRAY[substr('\x%[1]s'::bytea, 1, 80)]) AS f(day, flag, key_id, sealed)
GROUP BY day, flag
ORDER BY day, flag
ON CONFLICT (day, flag, shard) DO UPDATE SET n = flag_tally.n + EXCLUDED.n;
COMMIT;
`

// sealedSize is the size of a typical sealed enquiry: a short message,
// a couple of flags, 28 bytes of nonce and tag.
const sealedSize = 1100

// findPgbench returns the pgbench binary: on PATH, or in Debian's
// /usr/lib/postgresql/*/bin.
func findPgbench() (string, error) {
	if p, err := exec.LookPath("pgbench"); err == nil {
		return p, nil
	}
	m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pgbench")
	if len(m) > 0 {
		return m[len(m)-1], nil
	}
	return "", fmt.Errorf("pgbench not found: install it with `apt-get install postgresql-client` (or run make bench, which does)")
}

// PgbenchResult is what one pgbench run measured.
type PgbenchResult struct {
	TPS   float64
	Stats Stats // latencies from the per-transaction log
}

// runPgbench runs the submit script against dbURL with conc clients for d;
// rate > 0 throttles it to rate transactions per second (pgbench --rate),
// and then each latency includes the schedule lag, as the service's does.
func runPgbench(ctx context.Context, bin, dbURL, dir string, conc, rate int, d time.Duration, blob []byte) (PgbenchResult, error) {
	script := filepath.Join(dir, "submit.sql")
	if err := os.WriteFile(script, fmt.Appendf(nil, submitScript, fmt.Sprintf("%x", blob)), 0o644); err != nil {
		return PgbenchResult{}, fmt.Errorf("write pgbench script: %w", err)
	}
	logDir, err := os.MkdirTemp(dir, "pgbench-log-")
	if err != nil {
		return PgbenchResult{}, fmt.Errorf("pgbench log dir: %w", err)
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		return PgbenchResult{}, fmt.Errorf("database url: %w", err)
	}
	args := []string{"-n", "-M", "prepared", "-c", strconv.Itoa(conc), "-j", "2",
		"-T", strconv.Itoa(int(d.Seconds())), "-f", script, "-l", "--log-prefix", filepath.Join(logDir, "tx"),
		"-h", u.Hostname(), "-p", u.Port(), "-U", u.User.Username(), strings.TrimPrefix(u.Path, "/")}
	if rate > 0 {
		args = append(args, "--rate", strconv.Itoa(rate))
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	if pw, ok := u.User.Password(); ok {
		cmd.Env = append(os.Environ(), "PGPASSWORD="+pw)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return PgbenchResult{}, fmt.Errorf("pgbench: %w: %s", err, tailString(string(out)))
	}
	tps, err := parseTPS(string(out))
	if err != nil {
		return PgbenchResult{}, err
	}
	lat, failed, err := readPgbenchLogs(logDir, rate > 0)
	if err != nil {
		return PgbenchResult{}, err
	}
	return PgbenchResult{TPS: tps, Stats: newStats(lat, len(lat), failed, d)}, nil
}

var tpsRE = regexp.MustCompile(`(?m)^tps = ([0-9.]+)`)

// parseTPS reads "tps = N (without initial connection time)" from pgbench's
// summary.
func parseTPS(out string) (float64, error) {
	m := tpsRE.FindStringSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("no tps in pgbench output: %s", tailString(out))
	}
	return strconv.ParseFloat(m[1], 64)
}

// readPgbenchLogs reads every per-transaction log in dir: "client_id
// transaction_no time script_no time_epoch time_us [schedule_lag]", time in
// microseconds; withLag adds the schedule lag. Failed and skipped
// transactions are counted apart.
func readPgbenchLogs(dir string, withLag bool) ([]time.Duration, int, error) {
	files, _ := filepath.Glob(filepath.Join(dir, "tx*"))
	var lat []time.Duration
	failed := 0
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return nil, 0, fmt.Errorf("pgbench log: %w", err)
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			d, ok := parseLogLine(sc.Text(), withLag)
			if !ok {
				failed++
				continue
			}
			lat = append(lat, d)
		}
		fh.Close()
	}
	if len(lat) == 0 {
		return nil, 0, fmt.Errorf("pgbench logged no transaction in %s", dir)
	}
	return lat, failed, nil
}

func parseLogLine(line string, withLag bool) (time.Duration, bool) {
	f := strings.Fields(line)
	if len(f) < 6 {
		return 0, false
	}
	us, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil { // "failed" or "skipped"
		return 0, false
	}
	if withLag && len(f) >= 7 {
		if lag, err := strconv.ParseInt(f[6], 10, 64); err == nil {
			us += lag
		}
	}
	return time.Duration(us) * time.Microsecond, true
}

func tailString(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 1500 {
		s = s[len(s)-1500:]
	}
	return s
}
