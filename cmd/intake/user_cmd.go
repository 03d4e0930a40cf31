package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/auth"
)

const userUsage = `usage:
  intake user add --email EMAIL --role staff|admin   (reads the password from stdin, at least 12 characters)
  intake user list
  intake user disable --email EMAIL                  (also ends that user's sessions)
  intake user reset-password --email EMAIL           (reads the new password from stdin; ends that user's sessions)
  intake user reset-2fa --email EMAIL                (turns off two-factor sign-in for a lost authenticator; ends sessions)
`

// userCmd manages staff accounts from the command line. It migrates first,
// so it works on a fresh database.
func userCmd(ctx context.Context, cfg Config, args []string, by intake.Actor, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(userUsage)
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	email := fs.String("email", "", "the account's email")
	role := fs.String("role", "staff", "staff or admin")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w\n%s", err, userUsage)
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.closeDB()
	switch sub {
	case "add":
		r, ok := intake.ParseRole(*role)
		if !ok {
			return errors.New("--role must be staff or admin")
		}
		if *email == "" {
			return errors.New("--email is required")
		}
		pw, err := readPassword(stdin)
		if err != nil {
			return err
		}
		u, err := store.AddUser(ctx, *email, r, pw, by)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "added %s\n", u)
	case "list":
		users, err := store.Users(ctx)
		if err != nil {
			return err
		}
		for _, u := range users {
			fmt.Fprintln(stdout, u)
		}
	case "disable":
		if *email == "" {
			return errors.New("--email is required")
		}
		if err := store.DisableUser(ctx, *email, by); err != nil {
			if errors.Is(err, intake.ErrNotFound) {
				return fmt.Errorf("no account %s", *email)
			}
			return err
		}
		fmt.Fprintf(stdout, "disabled %s; their sessions have ended\n", *email)
	case "reset-password", "reset-2fa":
		if *email == "" {
			return errors.New("--email is required")
		}
		if sub == "reset-password" {
			var pw string
			if pw, err = readPassword(stdin); err != nil {
				return err
			}
			err = store.ResetPassword(ctx, *email, pw, by)
		} else {
			err = store.ResetTOTP(ctx, *email, by)
		}
		if errors.Is(err, intake.ErrNotFound) {
			return fmt.Errorf("no account %s", *email)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s done for %s; their sessions have ended\n", sub, *email)
	default:
		return fmt.Errorf("unknown user command %q\n%s", sub, userUsage)
	}
	return nil
}

// readPassword reads one line from stdin and checks it as a new password.
func readPassword(stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from stdin: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if err := auth.CheckPassword(pw); err != nil {
		return "", fmt.Errorf("the password on stdin is not acceptable: %w", err)
	}
	return pw, nil
}
