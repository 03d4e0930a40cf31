package intake_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/clinic/intake/intake"
)

func TestPasswordHashIsArgon2idWithStrongParameters(t *testing.T) {
	t.Parallel()
	h, err := intake.HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q lacks argon2id with m>=19 MiB, t>=2, p=1", h)
	}
	for pw, want := range map[string]bool{"correct horse battery staple": true, "correct horse battery stapl": false, "": false} {
		if ok, err := intake.VerifyPassword(h, pw); ok != want || err != nil {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	if err := intake.CheckPassword("elevenchars"); !errors.Is(err, intake.ErrWeakPassword) {
		t.Errorf("an 11-character password was accepted")
	}
}

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
