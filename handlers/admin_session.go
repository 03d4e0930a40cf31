package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/clinic/intake/intake"
)

// Session keys.
const (
	sessUserID = "uid"
	sessEpoch  = "epoch"
)

// newSessions returns the admin session manager: sessions kept in
// Deps.Sessions (Postgres, so every replica sees them, under a hash of their
// token; in memory when a test passes none), 30 minutes idle and 12 hours at
// most; the cookie is HttpOnly and SameSite=Lax, and Secure with the
// __Host- prefix when the service is reached over HTTPS.
func (s *server) newSessions() *scs.SessionManager {
	d := s.Deps
	sm := scs.New()
	if d.Sessions != nil {
		sm.Store = d.Sessions
	}
	sm.IdleTimeout = 30 * time.Minute
	sm.Lifetime = 12 * time.Hour
	sm.Cookie.Name = "intake_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Path = "/"
	sm.Cookie.Persist = false
	if strings.HasPrefix(d.PublicURL, "https://") {
		sm.Cookie.Name = "__Host-intake_session"
		sm.Cookie.Secure = true
	}
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		s.failAdmin(w, r, fmt.Errorf("session store: %w", err))
	}
	return sm
}

// admin wraps every /admin route: never cached, refused when a browser says
// the request comes from another site (http.CrossOriginProtection, and
// PUBLIC_URL's scheme: admin_origin.go; the public JSON API is not wrapped,
// it follows the CORS rules), and with the session loaded and saved; in
// flight, it is counted (Deps.Foreground), so the mail drain gives way.
func (s *server) admin(h http.Handler) http.Handler {
	h = noStore(s.crossOrigin.Handler(s.sessions.LoadAndSave(h)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer s.Foreground.Begin()()
		h.ServeHTTP(w, r)
	})
}

// noStoreWriter makes sure the only Cache-Control an admin response carries
// is no-store (the session library adds its own when it sets the cookie).
type noStoreWriter struct {
	http.ResponseWriter
	done bool
}

func (w *noStoreWriter) WriteHeader(code int) {
	if !w.done {
		w.done = true
		w.Header().Set("Cache-Control", "no-store")
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *noStoreWriter) Write(b []byte) (int, error) {
	if !w.done {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *noStoreWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func noStore(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&noStoreWriter{ResponseWriter: w}, r)
	})
}

type userKey struct{}

// currentUser is the signed-in user of a request that passed signedIn.
func currentUser(ctx context.Context) intake.User {
	u, _ := ctx.Value(userKey{}).(intake.User)
	return u
}

// actor is who a request's actions are attributed to in the audit log.
func actor(r *http.Request) intake.Actor {
	return intake.Actor{Name: currentUser(r.Context()).Email, Address: requestAddrText(r)}
}

// user loads the session's user; ok is false without a valid session (none,
// expired, or ended by disabling the account or changing its password).
func (s *server) user(w http.ResponseWriter, r *http.Request) (intake.User, bool, error) {
	id := s.sessions.GetInt64(r.Context(), sessUserID)
	if id == 0 {
		return intake.User{}, false, nil
	}
	u, err := s.SignIn.SessionUser(r.Context(), id, s.sessions.GetInt(r.Context(), sessEpoch))
	if errors.Is(err, intake.ErrNotFound) {
		if err := s.sessions.Destroy(r.Context()); err != nil {
			return u, false, err
		}
		return u, false, nil
	}
	return u, err == nil, err
}

// access is what a route needs: any signed-in user, or an admin; and whether
// the route answers 401 (exports) rather than redirecting to sign-in.
type access struct {
	admin  bool
	export bool
	// enrol: also open to a user who must still enrol in two-factor
	// sign-in (REQUIRE_2FA); every other route sends them to enrol first.
	enrol bool
}

// guard lets a request through only with a session of the needed role.
// Without a session, pages redirect to sign-in with the path to come back
// to; exports answer 401. A staff member on an admin route gets 403.
func (s *server) guard(a access, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, ok, err := s.user(w, r)
		if err != nil {
			s.failAdmin(w, r, err)
			return
		}
		if !ok {
			if a.export {
				s.failAdmin(w, r, errSignInFirst)
				return
			}
			next := "/admin/enquiries"
			if r.Method == http.MethodGet {
				next = r.URL.Path
			}
			http.Redirect(w, r, "/admin/sign-in?next="+url.QueryEscape(next), http.StatusSeeOther)
			return
		}
		if !a.enrol && s.mustEnrol(u) {
			if a.export {
				s.failAdmin(w, r, errEnrolFirst)
				return
			}
			http.Redirect(w, r, "/admin/2fa", http.StatusSeeOther)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), userKey{}, u))
		if a.admin && !u.IsAdmin() {
			s.failAdmin(w, r, errAdminOnly)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func (s *server) staffOnly(h http.Handler) http.Handler { return s.guard(access{}, h) }
func (s *server) enrolling(h http.Handler) http.Handler { return s.guard(access{enrol: true}, h) }
func (s *server) adminOnly(h http.Handler) http.Handler { return s.guard(access{admin: true}, h) }
func (s *server) adminExport(h http.Handler) http.Handler {
	return s.guard(access{admin: true, export: true}, h)
}

// safeNext is the path to return to after sign-in: only a path inside
// /admin/ on this site, never another host.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err == nil {
		u.Path = path.Clean(u.Path)
	}
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil ||
		!strings.HasPrefix(u.Path, "/admin/") || strings.HasPrefix(next, "//") ||
		strings.ContainsAny(next, "\\\r\n\t") || strings.HasPrefix(u.Path, "/admin/sign-") {
		return "/admin/enquiries"
	}
	return u.Path
}
