// Command devenv prepares what `make run` and `make test` need on a
// developer's machine or a fresh CI machine: a reachable Postgres, a Mailpit,
// Chromium and a local data key. It prints the one value the Makefile captures
// on stdout (a URL, a path, a key) and everything else on stderr, so
// `$(devenv postgres)` in a shell yields exactly the URL.
//
// It uses only the standard library so it builds before any dependency of the
// service is downloaded.
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

const usage = `usage: devenv COMMAND

Commands:
  postgres      make sure Postgres answers at DATABASE_URL (starting or installing
                a local server if needed) and the database exists; prints the URL to use
  mailpit       install Mailpit if needed and start it on 127.0.0.1:1025 (SMTP) and
                127.0.0.1:8025 (API) unless something listens there; prints its path
  mailpit-bin   install Mailpit if needed; prints its path
  chromium      install Chromium if needed; prints its path
  datakey       prints the local DATA_KEY from .run/data.key, creating it once
  mail [N]      prints the latest N (default 10) messages Mailpit caught
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "devenv: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "postgres":
		u, err := ensurePostgres(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, u)
	case "mailpit":
		bin, err := ensureMailpitRunning(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, bin)
	case "mailpit-bin":
		bin, err := ensureMailpitInstalled(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, bin)
	case "chromium":
		bin, err := ensureChromium(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, bin)
	case "datakey":
		key, err := dataKey()
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, key)
	case "mail":
		n := 10
		if len(rest) > 0 {
			v, err := strconv.Atoi(rest[0])
			if err != nil || v < 1 {
				return fmt.Errorf("mail: N must be a positive number, got %q", rest[0])
			}
			n = v
		}
		return printMail(ctx, stdout, mailpitAPI(), n)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprint(os.Stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
	return nil
}

// dataKey returns the development DATA_KEY kept in .run/data.key, generating
// it on first use. The file never leaves the machine (.run/ is git-ignored).
func dataKey() (string, error) {
	dir, err := runDir()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "data.key")
	if b, err := os.ReadFile(path); err == nil {
		key := strings.TrimSpace(string(b))
		raw, err := base64.StdEncoding.DecodeString(key)
		if err != nil || len(raw) != 32 {
			return "", fmt.Errorf("%s does not hold base64 of 32 bytes; delete it to generate a new key (data encrypted under the old key becomes unreadable)", path)
		}
		return key, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("read data key: %w", err)
	}

	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("generate data key: %w", err)
	}
	key := base64.StdEncoding.EncodeToString(raw)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		// Another devenv wrote it first: use that one.
		return dataKey()
	}
	if err != nil {
		return "", fmt.Errorf("write data key: %w", err)
	}
	if _, err := fmt.Fprintln(f, key); err != nil {
		f.Close()
		return "", fmt.Errorf("write data key: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("write data key: %w", err)
	}
	logf("generated a new DATA_KEY in %s", path)
	return key, nil
}

// ensureChromium returns the path of Chromium, installing Debian's package
// when it is missing.
func ensureChromium(ctx context.Context) (string, error) {
	if p := findChromium(); p != "" {
		return p, nil
	}
	if os.Geteuid() != 0 {
		return "", errors.New("Chromium is missing and installing it needs root: run `sudo apt-get install chromium`")
	}
	logf("Chromium is missing: installing Debian's chromium package")
	if err := aptInstall(ctx, "chromium"); err != nil {
		return "", err
	}
	if p := findChromium(); p != "" {
		return p, nil
	}
	return "", errors.New("apt-get installed chromium but no chromium binary was found")
}

func findChromium() string {
	if fileExists("/usr/bin/chromium") {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := lookPath(name); err == nil {
			return p
		}
	}
	return ""
}
