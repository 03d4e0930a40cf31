package intake

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/clinic/intake/intake/questionnaire"
)

// Form is one version of the clinic's form: a FHIR R4 Questionnaire and the
// rule set that screens its answers, published together. Everything the
// service asks and shows of the screening questions comes from it: the form
// page, validation, screening, the admin detail, the exports and the API's
// description. A Form is never changed once built: publishing makes a new
// one.
type Form struct {
	// ID is the published version's id (form_version.id); 0 for a form
	// that was only read from files.
	ID            int64
	Questionnaire *questionnaire.Questionnaire
	Rules         *RuleSet
	// QuestionnaireJSON and RulesJSON are the two files as published: what
	// was signed off, and what `intake form export` writes back.
	QuestionnaireJSON []byte
	RulesJSON         []byte
}

// FormVersion is the record of one published form version: who signed it
// off, who published it and when. The newest is the live one.
type FormVersion struct {
	ID          int64
	URL         string // the Questionnaire's url
	Version     string // the Questionnaire's (and the rules') version
	SHA256      string // hex SHA-256 of the two files (Form.SHA256)
	SignedOffBy string // the clinician who signed it off, as given to publish
	PublishedBy string // who ran publish (cli:$USER)
	PublishedAt time.Time
}

// Version returns the form's version: the Questionnaire's, which is also
// the rule set's and is stored with every enquiry as its rules version.
func (f *Form) Version() string { return f.Questionnaire.Version }

// Canonical returns the questionnaire's canonical reference, url|version, as
// a QuestionnaireResponse names it.
func (f *Form) Canonical() string { return f.Questionnaire.URL + "|" + f.Questionnaire.Version }

// SHA256 returns the hex SHA-256 of the published files: the questionnaire,
// a zero byte, the rules. Two versions with the same content have the same
// hash.
func (f *Form) SHA256() string { return FormSHA256(f.QuestionnaireJSON, f.RulesJSON) }

// FormSHA256 is the hash Form.SHA256 computes, from the two files' bytes.
func FormSHA256(questionnaireJSON, rulesJSON []byte) string {
	h := sha256.New()
	h.Write(questionnaireJSON)
	h.Write([]byte{0})
	h.Write(rulesJSON)
	return hex.EncodeToString(h.Sum(nil))
}

//go:embed forms/default/questionnaire.json forms/default/rules.json
var defaultFormFS embed.FS

// DefaultForm returns the form shipped in intake/forms/default: today's
// enquiry form question for question, version 1 of every database
// (migration 00080 stores the same two files), with ID 0. It panics if the
// embedded files do not pass CheckForm: that is a build defect. The files
// are parsed once; each call returns a Form of its own that shares the
// parsed questionnaire and rules, which nothing changes.
func DefaultForm() *Form {
	f := *parsedDefaultForm()
	return &f
}

// parsedDefaultForm parses the embedded default once: a constant computed
// on first use, never changed.
var parsedDefaultForm = sync.OnceValue(func() *Form { return mustEmbeddedForm(defaultFormFS, "forms/default") })

func mustEmbeddedForm(fsys embed.FS, dir string) *Form {
	q, err := fsys.ReadFile(dir + "/questionnaire.json")
	if err != nil {
		panic(fmt.Sprintf("intake: %s: %v", dir, err))
	}
	r, err := fsys.ReadFile(dir + "/rules.json")
	if err != nil {
		panic(fmt.Sprintf("intake: %s: %v", dir, err))
	}
	f, problems := ParseForm(q, r)
	if len(problems) > 0 {
		panic(fmt.Sprintf("intake: embedded %s:\n%v", dir, problems))
	}
	return f
}

// LoadForm reads a published form's two files without checking them
// again: a version stored in the past was checked when it was published,
// and its enquiries must stay readable even if a later check is stricter.
func LoadForm(id int64, questionnaireJSON, rulesJSON []byte) (*Form, error) {
	q, err := questionnaire.Parse(questionnaireJSON)
	if err != nil {
		return nil, fmt.Errorf("form version %d: %w", id, err)
	}
	rs, err := ParseRules(rulesJSON)
	if err != nil {
		return nil, fmt.Errorf("form version %d: %w", id, err)
	}
	return &Form{ID: id, Questionnaire: q, Rules: rs, QuestionnaireJSON: questionnaireJSON, RulesJSON: rulesJSON}, nil
}

// WithVersion returns a copy of the form whose questionnaire and rules say
// version v, with the two files rewritten only where they name it (the
// clinic's layout of the files is kept).
func (f *Form) WithVersion(v string) (*Form, error) {
	q, err := replaceTopLevelString(f.QuestionnaireJSON, "version", v)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", QuestionnaireFile, err)
	}
	r, err := replaceTopLevelString(f.RulesJSON, "version", v)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", RulesFile, err)
	}
	return LoadForm(f.ID, q, r)
}

// replaceTopLevelString replaces the string value of a top-level member of
// a JSON object, leaving every other byte as it was.
func replaceTopLevelString(data []byte, key, value string) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("not a JSON object")
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", key, err)
		}
		start := dec.InputOffset()
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("read %s: %w", key, err)
		}
		if tok != key {
			continue
		}
		end := dec.InputOffset()
		// The value starts after the colon and any spaces.
		at := bytes.Index(data[start:end], raw) + int(start)
		enc, err := json.Marshal(value)
		if err != nil {
			return nil, err
		}
		return slices.Concat(data[:at], enc, data[at+len(raw):]), nil
	}
	return nil, fmt.Errorf("no %q member", key)
}
