package intake

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/clinic/intake/intake/questionnaire"
)

// The two files of a form, as problems name them.
const (
	QuestionnaireFile = "questionnaire.json"
	RulesFile         = "rules.json"
)

// FormProblem is one thing wrong with a form: the file, the JSON path of
// the element concerned in it (item[1].item[3].enableWhen[0].question, or
// rules[5].any[0].field) and what is wrong, in words a clinic can act on.
type FormProblem struct {
	File    string
	Path    string
	Message string
}

// String writes "file: path: message".
func (p FormProblem) String() string {
	if p.Path == "" {
		return p.File + ": " + p.Message
	}
	return p.File + ": " + p.Path + ": " + p.Message
}

// FormProblems are every problem found in a form. As an error it lists
// them, one a line.
type FormProblems []FormProblem

// Error lists the problems one a line.
func (ps FormProblems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// ParseForm reads a form's two files and checks them together (CheckForm).
// It returns the form, or nil and every problem found.
func ParseForm(questionnaireJSON, rulesJSON []byte) (*Form, FormProblems) {
	var problems FormProblems
	q, err := questionnaire.Parse(questionnaireJSON)
	if err != nil {
		problems = append(problems, FormProblem{File: QuestionnaireFile, Message: err.Error()})
	}
	rs, err := ParseRules(rulesJSON)
	if err != nil {
		problems = append(problems, FormProblem{File: RulesFile, Message: err.Error()})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	f := &Form{Questionnaire: q, Rules: rs, QuestionnaireJSON: questionnaireJSON, RulesJSON: rulesJSON}
	if problems := CheckForm(f); len(problems) > 0 {
		return nil, problems
	}
	return f, nil
}

// CheckForm returns every problem of a form, or nil: the questionnaire is
// valid FHIR R4 as this service reads it (questionnaire.Check: structure,
// enableWhen, reachability of required items, totals and bands, every text
// translated into each declared language); it has the safety items no clinic
// may remove (the self-harm question with its crisis answers, the adult
// question, the blood-pressure reading the crisis rule reads) and uses none
// of the fixed block's names; and every rule refers to a question, total or
// weighted answer it has, with codes it offers and thresholds it can reach.
// Consent is part of the fixed block, which no file can change.
func CheckForm(f *Form) FormProblems {
	var out FormProblems
	q := f.Questionnaire
	for _, p := range q.Check() {
		out = append(out, FormProblem{File: QuestionnaireFile, Path: p.Path, Message: p.Message})
	}
	c := formChecker{q: q, paths: itemPaths(q)}
	c.layout()
	c.safety()
	out = append(out, c.problems...)
	rc := formChecker{q: q, paths: c.paths}
	rc.rules(f.Rules)
	out = append(out, rc.problems...)
	return out
}

type formChecker struct {
	q        *questionnaire.Questionnaire
	paths    map[string]string // linkId → JSON path
	problems FormProblems
	file     string
}

func (c *formChecker) add(path, format string, args ...any) {
	file := c.file
	if file == "" {
		file = QuestionnaireFile
	}
	c.problems = append(c.problems, FormProblem{File: file, Path: path, Message: fmt.Sprintf(format, args...)})
}

// itemPaths maps each linkId to its item's JSON path.
func itemPaths(q *questionnaire.Questionnaire) map[string]string {
	out := map[string]string{}
	var visit func(items []questionnaire.Item, prefix string)
	visit = func(items []questionnaire.Item, prefix string) {
		for i := range items {
			p := prefix + "item[" + strconv.Itoa(i) + "]"
			if _, dup := out[items[i].LinkID]; !dup {
				out[items[i].LinkID] = p
			}
			visit(items[i].Item, p+".")
		}
	}
	visit(q.Item, "")
	return out
}

// A linkId becomes an HTML name and id and a JSON key; an option's code an
// HTML id and value: both are kept to characters that need no escaping
// anywhere.
var (
	linkIDPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
	codePattern   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)
)

// layout checks what the form page needs: top-level items are groups (the
// page's sections), linkIds and codes it can use as names, and no linkId
// that the fixed block or the page already uses.
func (c *formChecker) layout() {
	for i, it := range c.q.Item {
		if it.Type != questionnaire.TypeGroup {
			c.add("item["+strconv.Itoa(i)+"]", "top-level items are the page's sections: make %q a group, or put it in one", it.LinkID)
		}
	}
	reserved := append(ContactFields(), ReservedFields()...)
	for id, path := range c.paths {
		switch {
		case id == "":
		case slices.Contains(reserved, id):
			c.add(path+".linkId", "%q is a field of the fixed contact and consent block: choose another linkId", id)
		case !linkIDPattern.MatchString(id):
			c.add(path+".linkId", "linkId %q: use lower-case letters, digits and _ (starting with a letter, at most 64)", id)
		}
		it := c.q.Lookup(id)
		if it == nil {
			continue
		}
		for i := range it.AnswerOption {
			if vc := it.AnswerOption[i].ValueCoding; vc != nil && vc.Code != "" && !codePattern.MatchString(vc.Code) {
				c.add(fmt.Sprintf("%s.answerOption[%d].valueCoding.code", path, i), "code %q: use letters, digits, _ . and - only", vc.Code)
			}
		}
	}
	slices.SortFunc(c.problems, func(a, b FormProblem) int { return strings.Compare(a.Path, b.Path) })
}

// safety checks the items the built-in rules read, which no clinic's form
// may lose: the self-harm question and its crisis answers, the adult
// question (both asked of everyone), and the two numbers of the
// blood-pressure reading (which the crisis rule reads even when the form's
// conditions do not ask for them, so they may be conditional).
func (c *formChecker) safety() {
	c.choice(SelfHarmItem, "the self-harm question, which puts a person in crisis on the crisis path",
		[]string{"none", "passive", "active", "intent_or_plan", UnsureCode})
	c.choice(AdultItem, "the question whether the person is 18 or older", []string{"yes", "no"})
	c.reading(BPSystolicItem, "the top number of the blood-pressure reading", 180)
	c.reading(BPDiastolicItem, "the bottom number of the blood-pressure reading", 120)
}

func (c *formChecker) choice(id, what string, codes []string) {
	it := c.q.Lookup(id)
	if it == nil {
		c.add("item", "%s (linkId %q) is missing: every form must ask it (codes %s)", what, id, strings.Join(codes, ", "))
		return
	}
	path := c.paths[id]
	if it.Type != questionnaire.TypeChoice || it.IsRepeating() {
		c.add(path+".type", "%q must be a single-answer choice question", id)
	}
	if !it.IsRequired() {
		c.add(path+".required", "%q must be required: it is a safety question", id)
	}
	for _, code := range codes {
		if it.Option(code) == nil {
			c.add(path+".answerOption", "%q must offer the answer %q", id, code)
		}
	}
	if cond := conditionalAt(c.q, id); cond != "" {
		c.add(c.paths[cond]+".enableWhen", "%q must be asked of everyone, but %q has conditions", id, cond)
	}
}

func (c *formChecker) reading(id, what string, crisisAbove int) {
	it := c.q.Lookup(id)
	if it == nil {
		c.add("item", "%s (linkId %q) is missing: the blood-pressure crisis rule reads it", what, id)
		return
	}
	path := c.paths[id]
	if it.Type != questionnaire.TypeInteger || it.IsRepeating() || it.IsReadOnly() {
		c.add(path+".type", "%q must be an integer question the person fills in", id)
	}
	if _, hi := it.Limits(); hi != "" {
		if n, err := strconv.Atoi(hi); err == nil && n <= crisisAbove {
			c.add(path+".extension", "maxValue %d of %q would refuse a reading in the crisis range (above %d)", n, id, crisisAbove)
		}
	}
}

// conditionalAt returns the linkId of the item itself or the nearest group
// holding it that has enableWhen, or "".
func conditionalAt(q *questionnaire.Questionnaire, id string) string {
	chain := append(q.Parents(id), q.Lookup(id))
	for i := len(chain) - 1; i >= 0; i-- {
		if len(chain[i].EnableWhen) > 0 {
			return chain[i].LinkID
		}
	}
	return ""
}

// rules checks the rule set against the questionnaire.
func (c *formChecker) rules(rs *RuleSet) {
	c.file = RulesFile
	q := c.q
	if strings.TrimSpace(rs.Version) == "" {
		c.add("version", "is empty")
	} else if rs.Version != q.Version {
		c.add("version", "%q differs from the questionnaire's version %q: the two files are one release", rs.Version, q.Version)
	}
	if len(rs.Rules) == 0 {
		c.add("rules", "no rules")
	}
	totals := map[string]bool{}
	for _, t := range q.Totals() {
		totals[t.Group] = true
	}
	seen := map[string]bool{}
	for i, r := range rs.Rules {
		at := fmt.Sprintf("rules[%d]", i)
		if !ruleCodePattern.MatchString(r.Code) {
			c.add(at+".code", "code %q: use lower-case letters, digits and _", r.Code)
		}
		if seen[r.Code] {
			c.add(at+".code", "code %q is used by an earlier rule", r.Code)
		}
		seen[r.Code] = true
		lvl, ok := ParseLevel(r.Level)
		if !ok {
			c.add(at+".level", "unknown level %q (routine, review, hold or urgent)", r.Level)
		}
		if r.Crisis && ok && lvl < Review {
			c.add(at+".level", "a crisis rule must be at least review")
		}
		if strings.TrimSpace(r.Reason) == "" {
			c.add(at+".reason", "is empty: staff read it to know why the enquiry was flagged")
		}
		if strings.TrimSpace(r.Source) == "" {
			c.add(at+".source", "is empty: say where the rule comes from")
		}
		if len(r.Any) == 0 {
			c.add(at+".any", "no conditions")
		}
		for j, cond := range r.Any {
			c.condition(fmt.Sprintf("%s.any[%d]", at, j), cond, totals)
		}
	}
}

var ruleCodePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

func (c *formChecker) condition(at string, cond Condition, totals map[string]bool) {
	named := 0
	for _, s := range []string{cond.Field, cond.Total, cond.Weight} {
		if s != "" {
			named++
		}
	}
	if named != 1 {
		c.add(at, "a condition names exactly one of field, total and weight")
		return
	}
	threshold := (cond.AtLeast != nil) != (cond.Above != nil)
	both := cond.AtLeast != nil && cond.Above != nil
	switch {
	case cond.Total != "":
		if !totals[cond.Total] {
			c.add(at+".total", "no group %q with a total (a read-only item with the sum calculatedExpression)", cond.Total)
		}
		c.threshold(at, cond, threshold, both)
	case cond.Weight != "":
		it := c.q.Lookup(cond.Weight)
		switch {
		case it == nil || !it.Type.IsQuestion():
			c.add(at+".weight", "no question %q", cond.Weight)
		case it.Type != questionnaire.TypeChoice:
			c.add(at+".weight", "%q is a %s question: only choice answers carry weights", cond.Weight, it.Type)
		default:
			for i := range it.AnswerOption {
				if _, ok := it.AnswerOption[i].Weight(); !ok {
					c.add(at+".weight", "option %q of %q has no weight", it.AnswerOption[i].ValueCoding.Code, cond.Weight)
				}
			}
		}
		c.threshold(at, cond, threshold, both)
	default:
		c.field(at, cond, threshold, both)
	}
}

func (c *formChecker) threshold(at string, cond Condition, threshold, both bool) {
	switch {
	case len(cond.Values) > 0:
		c.add(at+".values", "a total or weight is tested with at_least or above, not values")
	case both:
		c.add(at, "give one of at_least and above, not both")
	case !threshold:
		c.add(at, "needs at_least or above")
	}
}

func (c *formChecker) field(at string, cond Condition, threshold, both bool) {
	it := c.q.Lookup(cond.Field)
	switch {
	case it == nil:
		c.add(at+".field", "no question %q in the questionnaire", cond.Field)
		return
	case !it.Type.IsQuestion():
		c.add(at+".field", "%q is a %s, not a question", cond.Field, it.Type)
		return
	}
	switch it.Type {
	case questionnaire.TypeChoice, questionnaire.TypeBoolean:
		if threshold || both {
			c.add(at, "%q is a %s question: test it with values, not at_least or above", cond.Field, it.Type)
			return
		}
		if len(cond.Values) == 0 {
			c.add(at+".values", "%q needs values (answer codes)", cond.Field)
		}
		for k, v := range cond.Values {
			ok := it.Option(v) != nil
			if it.Type == questionnaire.TypeBoolean {
				ok = v == "true" || v == "false"
			}
			if !ok {
				c.add(fmt.Sprintf("%s.values[%d]", at, k), "%q has no answer %q", cond.Field, v)
			}
		}
	case questionnaire.TypeInteger, questionnaire.TypeDecimal:
		if len(cond.Values) > 0 {
			c.add(at+".values", "%q is a number: use at_least or above, not values", cond.Field)
			return
		}
		c.threshold(at, cond, threshold, both)
		if !threshold {
			return
		}
		n := cond.AtLeast
		if n == nil {
			n = cond.Above
		}
		// A threshold outside the accepted answers is a typo: it would never
		// match (or always).
		lo, hi := it.Limits()
		if l, err := strconv.ParseFloat(lo, 64); err == nil && *n < l {
			c.add(at, "threshold %v for %q is below its minValue %s", *n, cond.Field, lo)
		}
		if h, err := strconv.ParseFloat(hi, 64); err == nil && *n > h {
			c.add(at, "threshold %v for %q is above its maxValue %s", *n, cond.Field, hi)
		}
	default:
		c.add(at+".field", "%q is a %s question: rules test choice, boolean, integer and decimal answers", cond.Field, it.Type)
	}
}
