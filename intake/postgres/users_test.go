package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/clinic/intake/intake"
)

// TestUsersAndSignIn: accounts are unique by email (any case); unknown
// accounts, wrong passwords and disabled accounts fail alike; a disabled
// account's sessions stop at once.
func TestUsersAndSignIn(t *testing.T) {
	t.Parallel()
	store, _ := mustStore(t)
	ctx := context.Background()
	cli := intake.Actor{Name: "cli"}
	u, err := store.AddUser(ctx, "Ana@Clinic.test", intake.RoleAdmin, "correct horse battery staple", cli)
	if err != nil || u.Email != "ana@clinic.test" {
		t.Fatalf("AddUser = %+v, %v", u, err)
	}
	if _, err := store.AddUser(ctx, "ana@clinic.test", intake.RoleStaff, "correct horse battery staple", cli); !errors.Is(err, intake.ErrUserExists) {
		t.Errorf("duplicate account: %v", err)
	}
	if _, err := store.SignIn(ctx, "ANA@clinic.test", "correct horse battery staple", intake.Client{Address: "10.0.0.1"}); err != nil {
		t.Errorf("sign in: %v", err)
	}
	for _, c := range [][2]string{{"ana@clinic.test", "wrong password!!"}, {"nobody@clinic.test", "correct horse battery staple"}} {
		if _, err := store.SignIn(ctx, c[0], c[1], intake.Client{Address: "10.0.0.1"}); !errors.Is(err, intake.ErrBadCredentials) {
			t.Errorf("SignIn(%s) = %v, want ErrBadCredentials", c[0], err)
		}
	}
	if _, err := store.SessionUser(ctx, u.ID, u.SessionEpoch); err != nil {
		t.Errorf("session user: %v", err)
	}
	if err := store.DisableUser(ctx, "ana@clinic.test", cli); err != nil {
		t.Fatal(err)
	}
	if _, err := store.SessionUser(ctx, u.ID, u.SessionEpoch); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("a disabled account's session still loads: %v", err)
	}
	if _, err := store.SignIn(ctx, "ana@clinic.test", "correct horse battery staple", intake.Client{Address: "10.0.0.1"}); !errors.Is(err, intake.ErrBadCredentials) {
		t.Errorf("disabled account signed in: %v", err)
	}
}

// TestEveryWayToSetAPasswordRefusesGuessableOnes: adding a user (the CLI and
// the users page), an admin's reset and one's own change all apply
// CheckPassword.
func TestEveryWayToSetAPasswordRefusesGuessableOnes(t *testing.T) {
	t.Parallel()
	store, _ := mustStore(t)
	ctx := context.Background()
	by := intake.Actor{Name: "cli"}
	const weak = "aaaaaaaaaaaa"
	if _, err := store.AddUser(ctx, "weak@clinic.test", intake.RoleStaff, weak, by); !errors.Is(err, intake.ErrWeakPassword) {
		t.Errorf("AddUser with %q: %v, want ErrWeakPassword", weak, err)
	}
	u, err := store.AddUser(ctx, "ana@clinic.test", intake.RoleStaff, "correct horse battery staple", by)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.ResetPassword(ctx, u.Email, "qwerty123456", by); !errors.Is(err, intake.ErrWeakPassword) {
		t.Errorf("ResetPassword with a common password: %v, want ErrWeakPassword", err)
	}
	if _, err := store.ChangePassword(ctx, u.ID, "correct horse battery staple", weak, intake.Client{Address: "10.0.0.1"}); !errors.Is(err, intake.ErrWeakPassword) {
		t.Errorf("ChangePassword to %q: %v, want ErrWeakPassword", weak, err)
	}
}
