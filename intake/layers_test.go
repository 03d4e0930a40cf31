package intake_test

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// module is this repository's module path.
const module = "github.com/clinic/intake"

// goPackage is what `go list -json` says of one package.
type goPackage struct {
	ImportPath   string
	Standard     bool
	Imports      []string
	TestImports  []string
	XTestImports []string
}

// rel is a package's path within the module ("" for one outside it).
func rel(path string) string {
	if path == module {
		return "."
	}
	if r, ok := strings.CutPrefix(path, module+"/"); ok {
		return r
	}
	return ""
}

// under reports whether rel path p is dir or below it.
func under(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

// The layer rules. Each says which packages it constrains and, given one
// import of theirs, why it is refused ("" when it is allowed). The README
// (How it is built) says the same in words.
var layerRules = []struct {
	name  string
	tests bool // also the package's test files
	of    func(pkg string) bool
	bad   func(imp string) string
}{
	{"intake is the pure domain", false, func(p string) bool { return p == "intake" },
		func(imp string) string {
			if isStandard(imp) && !infra(imp) || imp == module+"/intake/questionnaire" ||
				strings.HasPrefix(imp, "github.com/go-playground/validator/") || strings.HasPrefix(imp, "golang.org/x/text/") {
				return ""
			}
			return "only the standard library (no database, queue or HTTP package), validator, x/text and intake/questionnaire"
		}},
	{"seal and mock build on the domain alone", false, func(p string) bool { return p == "intake/seal" || p == "intake/mock" },
		func(imp string) string {
			if isStandard(imp) && !infra(imp) || imp == module+"/intake" {
				return ""
			}
			return "only the standard library and intake"
		}},
	{"auth is pure", false, func(p string) bool { return p == "intake/auth" },
		func(imp string) string {
			if infra(imp) || rel(imp) != "" && imp != module+"/intake" {
				return "no database, queue or HTTP package, nothing of ours but intake"
			}
			return ""
		}},
	{"locale is words, shared by handlers and mail", false, func(p string) bool { return p == "intake/locale" },
		func(imp string) string {
			if isStandard(imp) && !infra(imp) || imp == module+"/intake" || imp == module+"/intake/questionnaire" ||
				strings.HasPrefix(imp, "github.com/nicksnyder/go-i18n/") || imp == "github.com/BurntSushi/toml" ||
				strings.HasPrefix(imp, "golang.org/x/text/") {
				return ""
			}
			return "only the standard library, go-i18n, toml, x/text, intake and intake/questionnaire (no HTTP, database or queue)"
		}},
	{"handlers is HTTP only", true, func(p string) bool { return under(p, "handlers") },
		func(imp string) string {
			if database(imp) || imp == module+"/intake/postgres" || imp == module+"/migrations" {
				return "no database or queue package: the store's services come in through Deps"
			}
			if under(rel(imp), "mail") {
				return "not mail"
			}
			return ""
		}},
	{"mail does not reach the HTTP layer or the store", true, func(p string) bool { return under(p, "mail") },
		func(imp string) string {
			if under(rel(imp), "handlers") || imp == module+"/intake/postgres" {
				return "not handlers, not intake/postgres: it reads through intake.DeliveryService"
			}
			return ""
		}},
	{"only cmd wires the store", false, func(p string) bool { return p != "intake/postgres" && !under(p, "cmd") },
		func(imp string) string {
			if imp == module+"/intake/postgres" {
				return "only cmd/... imports intake/postgres"
			}
			return ""
		}},
	{"tests of other layers use fakes, not the store", true,
		func(p string) bool { return p != "intake/postgres" && !under(p, "cmd") },
		func(imp string) string {
			if imp == module+"/intake/postgres" {
				return "tests outside the store and cmd/... use intake/mock"
			}
			return ""
		}},
	{"nothing imports cmd", true, func(p string) bool { return !under(p, "cmd") },
		func(imp string) string {
			if under(rel(imp), "cmd") {
				return "nothing imports cmd"
			}
			return ""
		}},
	{"the domain's packages import no layer above them", true,
		func(p string) bool { return under(p, "intake") && !under(p, "intake/intaketest") },
		func(imp string) string {
			if under(rel(imp), "handlers") || under(rel(imp), "mail") {
				return "intake/... imports neither handlers nor mail"
			}
			return ""
		}},
}

// database is an import of a database or job-queue package.
func database(imp string) bool {
	for _, p := range []string{"database/sql", "github.com/jmoiron/sqlx", "github.com/lib/pq", "github.com/riverqueue/", "github.com/jackc/"} {
		if imp == p || strings.HasPrefix(imp, p+"/") || strings.HasSuffix(p, "/") && strings.HasPrefix(imp, p) {
			return true
		}
	}
	return false
}

// infra is an import the pure packages may not have: a database, queue or
// HTTP package.
func infra(imp string) bool {
	return database(imp) || imp == "net/http" || strings.HasPrefix(imp, "net/http/") || imp == "html/template"
}

// isStandard reports a standard-library import (no dot in its first part).
func isStandard(imp string) bool {
	first, _, _ := strings.Cut(imp, "/")
	return !strings.Contains(first, ".")
}

// TestLayers: every package of the module keeps to the layer rules, and
// the rules constrain the packages they name (a rule that matches nothing
// has gone stale).
func TestLayers(t *testing.T) {
	cmd := exec.Command("go", "list", "-json", module+"/...")
	cmd.Dir = ".."
	out, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		t.Fatalf("go list: %v\n%s", err, exit.Stderr)
	}
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var pkgs []goPackage
	for {
		var p goPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages", len(pkgs))
	}
	for _, r := range layerRules {
		matched := false
		for _, p := range pkgs {
			name := rel(p.ImportPath)
			if !r.of(name) {
				continue
			}
			matched = true
			imports := slices.Clone(p.Imports)
			if r.tests {
				imports = append(append(imports, p.TestImports...), p.XTestImports...)
			}
			for _, imp := range imports {
				if why := r.bad(imp); why != "" {
					t.Errorf("%s: %s imports %s (%s)", r.name, name, imp, why)
				}
			}
		}
		if !matched {
			t.Errorf("rule %q constrains no package", r.name)
		}
	}
}
