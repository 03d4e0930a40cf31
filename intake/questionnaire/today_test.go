package questionnaire

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// These tests hold the default questionnaire to the form the service served
// before the questionnaire became its one definition, read from frozen
// copies of the source it was built from (testdata/today, see its README):
// the questions of handlers/questions.go, the page text of
// handlers/templates/form.html and the contract's codes in
// intake/enquiry.go. They are read as text.

// todayQuestion is a handlers.Question as written in questions.go.
type todayQuestion struct {
	Field, Legend, Hint string
	Multi, Optional     bool
	Options             [][2]string // value, label
}

func readToday(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// todayQuestions evaluates the Question literals of questions.go.
func todayQuestions(t *testing.T) []todayQuestion {
	src := readToday(t, "testdata/today/questions.go.txt")
	f, err := parser.ParseFile(token.NewFileSet(), "questions.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]ast.Expr{}
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.VAR {
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					vars[n.Name] = vs.Values[i]
				}
			}
		}
	}
	str := func(e ast.Expr) string {
		s, err := strconv.Unquote(e.(*ast.BasicLit).Value)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	options := func(e ast.Expr) [][2]string {
		if id, ok := e.(*ast.Ident); ok {
			e = vars[id.Name]
		}
		var out [][2]string
		for _, el := range e.(*ast.CompositeLit).Elts {
			pair := el.(*ast.CompositeLit).Elts
			out = append(out, [2]string{str(pair[0]), str(pair[1])})
		}
		return out
	}
	question := func(e ast.Expr) todayQuestion {
		var q todayQuestion
		for _, el := range e.(*ast.CompositeLit).Elts {
			kv := el.(*ast.KeyValueExpr)
			switch kv.Key.(*ast.Ident).Name {
			case "Field":
				q.Field = str(kv.Value)
			case "Legend":
				q.Legend = str(kv.Value)
			case "Hint":
				q.Hint = str(kv.Value)
			case "Multi":
				q.Multi = kv.Value.(*ast.Ident).Name == "true"
			case "Optional":
				q.Optional = kv.Value.(*ast.Ident).Name == "true"
			case "Options":
				q.Options = options(kv.Value)
			}
		}
		return q
	}
	out := []todayQuestion{question(vars["adultQuestion"]), question(vars["hypertensionQuestion"])}
	for _, e := range vars["healthQuestions"].(*ast.CompositeLit).Elts {
		out = append(out, question(e))
	}
	return append(out, question(vars["selfHarmQuestion"]))
}

// TestDefaultFormIsToday: each question of today's form, with its wording,
// hint, options in order, single or multiple choice and optional or not.
func TestDefaultFormIsToday(t *testing.T) {
	q, _ := loadForm(t, "default")
	for _, tq := range todayQuestions(t) {
		it := q.Lookup(tq.Field)
		if it == nil {
			t.Errorf("no item %q", tq.Field)
			continue
		}
		got := todayQuestion{Field: it.LinkID, Legend: it.Text, Multi: it.IsRepeating(), Optional: !it.IsRequired()}
		for _, c := range it.Item {
			if c.Type == TypeDisplay {
				got.Hint = c.Text
			}
		}
		for i := range it.AnswerOption {
			o := it.AnswerOption[i].ValueCoding
			got.Options = append(got.Options, [2]string{o.Code, o.Display})
		}
		if !reflect.DeepEqual(got, tq) {
			t.Errorf("%s:\n got %+v\nwant %+v", tq.Field, got, tq)
		}
		if it.Type != TypeChoice {
			t.Errorf("%s is a %s item, today a choice", tq.Field, it.Type)
		}
		for i := range it.AnswerOption {
			exclusive := it.AnswerOption[i].IsExclusive()
			code := it.AnswerOption[i].ValueCoding.Code
			if want := tq.Multi && (code == "none" || code == "unsure"); exclusive != want {
				t.Errorf("%s option %s: exclusive = %v, want %v (today's exclusive_none)", tq.Field, code, exclusive, want)
			}
		}
	}
}

// TestDefaultFormPageText: the parts of today's page that are not in
// questions.go — the sections, the health introduction, the blood-pressure
// reading and the message — are worded as on the page.
func TestDefaultFormPageText(t *testing.T) {
	page := string(readToday(t, "testdata/today/form.html"))
	q, _ := loadForm(t, "default")
	for _, id := range []string{"about", "health", "anything_else", "health_intro", "bp", "bp_hint", "bp_systolic", "bp_diastolic"} {
		if text := q.Lookup(id).Text; !strings.Contains(page, ">"+text+"<") {
			t.Errorf("%s: %q is not on today's page", id, text)
		}
	}
	if msg := q.Lookup("message"); !strings.Contains(page, ">"+msg.Text+" (optional)<") || msg.IsRequired() {
		t.Errorf("message: %q is not today's optional message", msg.Text)
	}
	order := []string{}
	q.walk(func(it *Item, _ string, _ []*Item) bool {
		if it.Type == TypeGroup && it.LinkID != "bp" {
			order = append(order, it.Text)
		}
		return true
	})
	last := -1
	for _, heading := range order {
		at := strings.Index(page, ">"+heading+"<")
		if at < last {
			t.Errorf("section %q is out of today's order", heading)
		}
		last = at
	}
}

// TestDefaultFormCodes: the contract's validation tags in intake/enquiry.go
// allow exactly the options of each question, require the required ones,
// and bound the readings as the questionnaire does.
func TestDefaultFormCodes(t *testing.T) {
	src := readToday(t, "testdata/today/enquiry.go.txt")
	f, err := parser.ParseFile(token.NewFileSet(), "enquiry.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := loadForm(t, "default")
	seen := 0
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok || ts.Name.Name != "Enquiry" {
			return true
		}
		for _, fld := range ts.Type.(*ast.StructType).Fields.List {
			tag := reflect.StructTag(strings.Trim(fld.Tag.Value, "`"))
			name, _, _ := strings.Cut(tag.Get("json"), ",")
			it := q.Lookup(name)
			if it == nil {
				continue // the fixed contact and consent block
			}
			seen++
			rules := strings.Split(tag.Get("validate"), ",")
			if required := slices.Contains(rules, "required"); required != it.IsRequired() {
				t.Errorf("%s: required %v today, %v in the questionnaire", name, required, it.IsRequired())
			}
			for _, r := range rules {
				switch {
				case strings.HasPrefix(r, "oneof="):
					today := strings.Fields(strings.TrimPrefix(r, "oneof="))
					var codes []string
					for i := range it.AnswerOption {
						codes = append(codes, it.AnswerOption[i].ValueCoding.Code)
					}
					slices.Sort(today)
					slices.Sort(codes)
					if !slices.Equal(today, codes) {
						t.Errorf("%s: codes %v today, %v in the questionnaire", name, today, codes)
					}
				case strings.HasPrefix(r, "min=") && it.Type == TypeInteger:
					if lo, _ := it.limit(MinValueURL); lo.text != strings.TrimPrefix(r, "min=") {
						t.Errorf("%s: minimum %s today, %s in the questionnaire", name, r, lo.text)
					}
				case strings.HasPrefix(r, "max=") && it.Type == TypeInteger:
					if hi, _ := it.limit(MaxValueURL); hi.text != strings.TrimPrefix(r, "max=") {
						t.Errorf("%s: maximum %s today, %s in the questionnaire", name, r, hi.text)
					}
				case strings.HasPrefix(r, "max=") && it.Type == TypeText:
					if it.MaxLength == nil || strconv.Itoa(*it.MaxLength) != strings.TrimPrefix(r, "max=") {
						t.Errorf("%s: length %s today, %v in the questionnaire", name, r, it.MaxLength)
					}
				}
			}
		}
		return false
	})
	if seen != 16 {
		t.Errorf("found %d of the 16 questionnaire fields (adult, the 14 screening fields, message) in Enquiry", seen)
	}
}
