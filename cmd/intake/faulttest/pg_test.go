package faulttest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// pgCluster is a Postgres cluster of the suite's own, in a temporary folder,
// so that stopping it disturbs nothing else on the machine.
type pgCluster struct {
	bindir string
	dir    string
	port   int
}

// asPostgres runs a server binary as the postgres user when we are root
// (initdb and pg_ctl refuse root), as ourselves otherwise.
func asPostgres(bin string, args ...string) *exec.Cmd {
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", bin}, args...)...)
	}
	return exec.Command(bin, args...)
}

func startCluster(dir string) (*pgCluster, error) {
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		return nil, fmt.Errorf("no Postgres server binaries under /usr/lib/postgresql (make test installs them)")
	}
	sort.Strings(bins)
	c := &pgCluster{bindir: filepath.Dir(bins[len(bins)-1]), dir: dir}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("user postgres: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	c.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	if out, err := asPostgres(filepath.Join(c.bindir, "initdb"), "-D", c.data(), "-A", "trust", "-U", "root", "--no-sync").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	if err := c.start(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *pgCluster) data() string { return filepath.Join(c.dir, "data") }

func (c *pgCluster) start() error {
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=200", c.port, c.dir)
	out, err := asPostgres(filepath.Join(c.bindir, "pg_ctl"), "-D", c.data(), "-w", "-t", "60",
		"-l", filepath.Join(c.dir, "log"), "-o", opts, "start").CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl start: %v: %s", err, out)
	}
	return nil
}

// stop shuts the server down the way an operator's restart does: fast mode
// disconnects every client and aborts their transactions.
func (c *pgCluster) stop() error {
	out, err := asPostgres(filepath.Join(c.bindir, "pg_ctl"), "-D", c.data(), "-w", "-m", "fast", "stop").CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl stop: %v: %s", err, out)
	}
	return nil
}

func (c *pgCluster) destroy() {
	asPostgres(filepath.Join(c.bindir, "pg_ctl"), "-D", c.data(), "-m", "immediate", "stop").Run() //nolint:errcheck // best effort
}

func (c *pgCluster) url(db string) string {
	return fmt.Sprintf("postgres://root@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// newDB creates an empty database for one scenario and returns its URL and
// an open handle.
func (c *pgCluster) newDB(name string) (string, *sqlx.DB, error) {
	admin, err := sqlx.Open("postgres", c.url("postgres"))
	if err != nil {
		return "", nil, err
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+pq.QuoteIdentifier(name)+" WITH (FORCE)"); err != nil {
		return "", nil, err
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name)); err != nil {
		return "", nil, err
	}
	db, err := sqlx.Open("postgres", c.url(name))
	if err != nil {
		return "", nil, err
	}
	return c.url(name), db, nil
}
