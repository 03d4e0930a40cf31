package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

const (
	defaultDatabaseURL = "postgres://localhost:5432/intake?sslmode=disable"
	// privatePort keeps a private cluster off 5432, where a machine's own
	// Postgres lives or will live once its package is installed.
	privatePort = 5433
)

// ensurePostgres makes sure a Postgres server answers for DATABASE_URL and
// its database exists, and returns the URL to use: DATABASE_URL itself, or
// the URL of a private cluster on 127.0.0.1:5433 when nothing answered there.
func ensurePostgres(ctx context.Context) (string, error) {
	raw := os.Getenv("DATABASE_URL")
	if raw == "" {
		raw = defaultDatabaseURL
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", errors.New("DATABASE_URL must be a postgres:// URL")
	}
	if pgReachable(ctx, u) {
		return raw, ensureDatabase(ctx, u)
	}
	if !isLocal(u) {
		return "", fmt.Errorf("Postgres does not answer at %s; start it or point DATABASE_URL at a reachable server", u.Redacted())
	}
	logf("Postgres does not answer at %s: starting one", u.Redacted())

	if err := installPostgres(ctx); err != nil {
		return "", err
	}
	if startMainCluster(ctx) && poll(ctx, 30*time.Second, 250*time.Millisecond, func() bool { return pgReachable(ctx, u) }) {
		return raw, ensureDatabase(ctx, u)
	}

	pu, err := startPrivateCluster(ctx, u)
	if err != nil {
		return "", err
	}
	logf("using the private cluster: DATABASE_URL=%s", pu.Redacted())
	return pu.String(), ensureDatabase(ctx, pu)
}

// pgReachable reports whether a server answers at u (whether or not the
// database or role exist yet).
func pgReachable(ctx context.Context, u *url.URL) bool {
	if p, err := pgTool("pg_isready"); err == nil {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		return exec.CommandContext(ctx, p, "-q", "-t", "3", "-d", u.String()).Run() == nil
	}
	return listening(hostPort(u))
}

func hostPort(u *url.URL) string {
	host, port := u.Hostname(), u.Port()
	if host == "" {
		host = "localhost"
	}
	if port == "" {
		port = "5432"
	}
	return net.JoinHostPort(host, port)
}

// isLocal reports whether u names this machine, the only place devenv may
// start a server.
func isLocal(u *url.URL) bool {
	host := u.Hostname()
	if h := u.Query().Get("host"); h != "" {
		host = h
	}
	if host == "" || host == "localhost" || strings.HasPrefix(host, "/") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ensureDatabase creates the database named in u unless it exists, then
// checks that u itself connects.
func ensureDatabase(ctx context.Context, u *url.URL) error {
	name := strings.TrimPrefix(u.Path, "/")
	if name != "" {
		createdb, err := pgTool("createdb")
		if err != nil {
			return err
		}
		maint := *u
		maint.Path = "/postgres"
		if _, err := runCapture(ctx, createdb, "--maintenance-db="+maint.String(), name); err != nil {
			if !strings.Contains(err.Error(), "already exists") {
				return fmt.Errorf("create database %s: %w", name, err)
			}
		} else {
			logf("created database %s", name)
		}
	}
	psql, err := pgTool("psql")
	if err != nil {
		return err
	}
	if _, err := runCapture(ctx, psql, "-X", "-q", "-t", "-d", u.String(), "-c", "select 1"); err != nil {
		return fmt.Errorf("Postgres answers at %s but refuses the connection: %w", u.Redacted(), err)
	}
	return nil
}

// pgTool finds a Postgres client or server program: on PATH, else in the
// newest /usr/lib/postgresql/*/bin.
func pgTool(name string) (string, error) {
	if p, err := lookPath(name); err == nil {
		return p, nil
	}
	if dir := pgBinDir(); dir != "" && fileExists(filepath.Join(dir, name)) {
		return filepath.Join(dir, name), nil
	}
	return "", fmt.Errorf("%s not found: install Debian's postgresql-client (or postgresql) package", name)
}

// pgBinDir is the newest /usr/lib/postgresql/VERSION/bin that holds initdb.
func pgBinDir() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Slice(dirs, func(i, j int) bool { return pgVersion(dirs[i]) < pgVersion(dirs[j]) })
	if len(dirs) == 0 {
		return ""
	}
	return filepath.Dir(dirs[len(dirs)-1])
}

func pgVersion(initdb string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(filepath.Dir(initdb))), 64)
	return v
}

// installPostgres installs Debian's postgresql package when no server
// binaries are on the machine.
func installPostgres(ctx context.Context) error {
	if pgBinDir() != "" {
		return nil
	}
	if os.Geteuid() != 0 {
		return errors.New("Postgres server programs are missing and installing them needs root: run `sudo apt-get install postgresql`, or set DATABASE_URL to a reachable server")
	}
	logf("installing Debian's postgresql package")
	if err := aptInstall(ctx, "postgresql"); err != nil {
		return err
	}
	if pgBinDir() == "" {
		return errors.New("apt-get installed postgresql but no /usr/lib/postgresql/*/bin/initdb appeared")
	}
	return nil
}

// startMainCluster starts the machine's own cluster(s) the Debian way and
// reports whether one started.
func startMainCluster(ctx context.Context) bool {
	mains, _ := filepath.Glob("/etc/postgresql/*/main")
	started := false
	for _, m := range mains {
		ver := filepath.Base(filepath.Dir(m))
		logf("starting the machine's cluster %s/main", ver)
		if err := runLogged(ctx, nil, "pg_ctlcluster", "--skip-systemctl-redirect", ver, "main", "start"); err != nil {
			logf("could not start cluster %s/main: %v", ver, err)
			continue
		}
		started = true
	}
	return started
}

// startPrivateCluster runs a throwaway cluster owned by the postgres user on
// 127.0.0.1:5433 (trust auth, superuser root), creating it on first use, and
// returns u pointed at it.
func startPrivateCluster(ctx context.Context, u *url.URL) (*url.URL, error) {
	pu := &url.URL{Scheme: "postgres", User: url.User("root"), Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(privatePort)), Path: u.Path}
	q := u.Query()
	q.Del("host")
	q.Set("sslmode", "disable")
	pu.RawQuery = q.Encode()
	if pgReachable(ctx, pu) {
		return pu, nil
	}

	bin := pgBinDir()
	if bin == "" {
		return nil, errors.New("no /usr/lib/postgresql/*/bin/initdb: install Debian's postgresql package")
	}
	dir, asUser, err := privateClusterDir()
	if err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	logPath := filepath.Join(dir, "postgres.log")
	if !fileExists(filepath.Join(data, "PG_VERSION")) {
		logf("creating a private Postgres cluster in %s", data)
		if err := asPostgres(ctx, dir, asUser, filepath.Join(bin, "initdb"), "-D", data, "-U", "root", "--auth=trust", "-E", "UTF8", "--locale=C"); err != nil {
			return nil, err
		}
		if err := appendConf(filepath.Join(data, "postgresql.conf")); err != nil {
			return nil, err
		}
	}
	logf("starting the private cluster on 127.0.0.1:%d (log: %s)", privatePort, logPath)
	err = asPostgres(ctx, dir, asUser, filepath.Join(bin, "pg_ctl"), "-D", data, "-l", logPath, "-w", "-t", "60", "start")
	if err != nil {
		return nil, fmt.Errorf("%w\n%s", err, tail(logPath, 20))
	}
	if !poll(ctx, 30*time.Second, 250*time.Millisecond, func() bool { return pgReachable(ctx, pu) }) {
		return nil, fmt.Errorf("the private cluster started but does not answer on 127.0.0.1:%d; see %s", privatePort, logPath)
	}
	return pu, nil
}

// privateClusterConf listens on loopback only, without a Unix socket (whose
// path would be too long in a deep checkout), and trades durability for speed:
// this cluster holds development and test data only.
const privateClusterConf = `
# Added by cmd/devenv: a private development cluster.
listen_addresses = '127.0.0.1'
port = %d
unix_socket_directories = ''
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
`

func appendConf(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("configure private cluster: %w", err)
	}
	if _, err := fmt.Fprintf(f, privateClusterConf, privatePort); err != nil {
		f.Close()
		return fmt.Errorf("configure private cluster: %w", err)
	}
	return f.Close()
}

// privateClusterDir returns the folder for the private cluster: .run/pg,
// owned by the postgres user when devenv runs as root (initdb and pg_ctl
// refuse to run as root). When the postgres user cannot reach the checkout
// (a clone under /root, say) it falls back to a folder under the temp dir.
// asUser is the account to run the server programs as ("" for ourselves).
func privateClusterDir() (dir, asUser string, err error) {
	rd, err := runDir()
	if err != nil {
		return "", "", err
	}
	dir = filepath.Join(rd, "pg")
	if os.Geteuid() != 0 {
		return dir, "", os.MkdirAll(dir, 0o700)
	}
	pg, err := user.Lookup("postgres")
	if err != nil {
		return "", "", errors.New("there is no postgres user to run a private cluster as: install Debian's postgresql package")
	}
	uid, _ := strconv.Atoi(pg.Uid)
	gid, _ := strconv.Atoi(pg.Gid)
	if err := ownedDir(dir, uid, gid); err != nil {
		return "", "", err
	}
	if exec.Command("runuser", "-u", "postgres", "--", "test", "-w", dir, "-a", "-x", dir).Run() != nil {
		sum := sha256.Sum256([]byte(rd))
		dir = filepath.Join(os.TempDir(), "intake-devenv-pg-"+hex.EncodeToString(sum[:4]))
		logf("the postgres user cannot reach %s: using %s instead", rd, dir)
		if err := ownedDir(dir, uid, gid); err != nil {
			return "", "", err
		}
	}
	return dir, "postgres", nil
}

func ownedDir(dir string, uid, gid int) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	if err := os.Chown(dir, uid, gid); err != nil {
		return fmt.Errorf("chown %s to postgres: %w", dir, err)
	}
	return nil
}

// asPostgres runs a server program in dir as asUser (through runuser), or
// as ourselves when asUser is empty, with its output on stderr.
func asPostgres(ctx context.Context, dir, asUser, prog string, args ...string) error {
	name := prog
	if asUser != "" {
		name, args = "runuser", append([]string{"-u", asUser, "--", prog}, args...)
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir // a folder the server's user can enter
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w", commandLine(name, args), err)
	}
	return nil
}
