package intake

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
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
// (migration 00080 stores the same two files). It panics if the embedded
// files do not pass CheckForm: that is a build defect.
func DefaultForm() *Form {
	return mustEmbeddedForm(defaultFormFS, "forms/default")
}

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
