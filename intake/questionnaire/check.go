package questionnaire

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Problem is one thing wrong with a questionnaire, at the JSON path of the
// element concerned (item[3].item[0].enableWhen[0].question).
type Problem struct {
	Path    string
	Message string
}

// String writes "path: message".
func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// Problems are all the problems Check found. As an error it lists them, one
// a line.
type Problems []Problem

// Error lists the problems one a line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Check returns every problem that would make the questionnaire misbehave,
// each with its path, or nil. It checks the structure (required elements,
// known item types, unique linkIds, what each type may carry), the answer
// options, the limits and initial values, every enableWhen (its question
// exists, is not the item itself or part of a cycle, and the operator and
// answer type fit the question), items that can never be enabled, the
// translations into each declared language, totals (only the supported
// calculatedExpression form, weights on every summed option) and their
// bands, and elements this package does not know.
func (q *Questionnaire) Check() Problems {
	c := &checker{q: q, byID: map[string]*Item{}, pathOf: map[string]string{}, parent: map[string]*Item{}}
	c.resource()
	q.walk(func(it *Item, path string, parents []*Item) bool {
		if it.LinkID != "" {
			if first, dup := c.pathOf[it.LinkID]; dup {
				c.add(path+".linkId", "linkId %q is already used by %s", it.LinkID, first)
			} else {
				c.byID[it.LinkID], c.pathOf[it.LinkID] = it, path
			}
		}
		if len(parents) > 0 {
			c.parent[it.LinkID] = parents[len(parents)-1]
		}
		return true
	})
	q.walk(func(it *Item, path string, parents []*Item) bool {
		c.item(it, path, parents)
		return true
	})
	c.enableWhens()
	c.cycles()
	c.reachability()
	c.totals()
	c.translations()
	sort.SliceStable(c.problems, func(i, j int) bool { return pathLess(c.problems[i].Path, c.problems[j].Path) })
	return c.problems
}

type checker struct {
	q        *Questionnaire
	problems Problems
	byID     map[string]*Item
	pathOf   map[string]string
	parent   map[string]*Item
}

func (c *checker) add(path, format string, args ...any) {
	c.problems = append(c.problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

var (
	langPattern = regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$`)
	uriPattern  = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$`)
)

var statuses = []string{"draft", "active", "retired", "unknown"}

func (c *checker) resource() {
	q := c.q
	if q.ResourceType != "Questionnaire" {
		c.add("resourceType", "must be \"Questionnaire\"")
	}
	if !uriPattern.MatchString(q.URL) {
		c.add("url", "must be the form's canonical URL (answers refer to url|version)")
	}
	if strings.TrimSpace(q.Version) == "" {
		c.add("version", "is missing: every published form needs a version")
	}
	if !slices.Contains(statuses, q.Status) {
		c.add("status", "must be one of %s", strings.Join(statuses, ", "))
	}
	if !langPattern.MatchString(q.Language) {
		c.add("language", "must name the language of the texts, such as \"en\"")
	}
	if len(q.Item) == 0 {
		c.add("item", "the form has no items")
	}
	seen := map[string]bool{strings.ToLower(q.Language): true}
	for i, e := range q.Extension {
		path := "extension[" + itoa(i) + "]"
		switch e.URL {
		case TranslationLanguageURL:
			switch {
			case e.ValueCode == nil || !langPattern.MatchString(*e.ValueCode):
				c.add(path, "a translation language needs valueCode, such as \"es\"")
			case seen[strings.ToLower(*e.ValueCode)]:
				c.add(path, "language %q is declared twice (or is the form's own language)", *e.ValueCode)
			default:
				seen[strings.ToLower(*e.ValueCode)] = true
			}
		default:
			c.extensionHere(path, e, "the Questionnaire")
		}
	}
	c.others("", q.Other, topTolerated, nil)
}

// extensionHere reports an extension this package reads but that does not
// belong where it is, and an unknown one in our own namespace (a typo).
func (c *checker) extensionHere(path string, e Extension, where string) {
	switch {
	case slices.Contains(knownURLs, e.URL):
		c.add(path, "extension %s does not belong on %s", e.URL, where)
	case strings.HasPrefix(e.URL, OwnExtensionBase):
		c.add(path, "unknown extension %s", e.URL)
	}
}

var knownURLs = []string{TranslationURL, OrdinalValueURL, ItemWeightURL, OptionExclusive, MinValueURL, MaxValueURL,
	CalculatedURL, TranslationLanguageURL, ScoreBandURL, AllOrNoneURL}

var supportedTypes = []ItemType{TypeGroup, TypeDisplay, TypeBoolean, TypeChoice, TypeString, TypeText, TypeInteger, TypeDecimal, TypeDate}

var fhirOnlyTypes = []ItemType{"question", "open-choice", "dateTime", "time", "url", "attachment", "reference", "quantity"}

func (c *checker) item(it *Item, path string, parents []*Item) {
	if strings.TrimSpace(it.LinkID) == "" {
		c.add(path+".linkId", "is missing")
	}
	switch {
	case it.Type == "":
		c.add(path+".type", "is missing")
		return
	case slices.Contains(fhirOnlyTypes, it.Type):
		c.add(path+".type", "type %q is not supported (use one of %s)", it.Type, typeList())
		return
	case !slices.Contains(supportedTypes, it.Type):
		c.add(path+".type", "unknown type %q (use one of %s)", it.Type, typeList())
		return
	}
	if len(parents) > 0 && parents[len(parents)-1].Type.IsQuestion() && it.Type != TypeDisplay {
		c.add(path, "only display items (hints) may sit inside a question; put follow-up questions beside it, in a group")
	}
	if it.Type != TypeGroup && strings.TrimSpace(it.Text) == "" {
		c.add(path+".text", "is empty: every question and display item needs its wording")
	}
	not := func(ok bool, element, why string) {
		if !ok {
			c.add(path+"."+element, "%s", why)
		}
	}
	q := it.Type.IsQuestion()
	not(it.Type != TypeGroup || len(it.Item) > 0, "item", "a group must hold items")
	not(it.Type != TypeDisplay || len(it.Item) == 0, "item", "a display item cannot hold items")
	not(it.Type != TypeDisplay || (it.Required == nil && it.Repeats == nil), "required", "a display item cannot be required or repeat")
	not(it.Type != TypeGroup || !it.IsRepeating(), "repeats", "repeating groups are not supported")
	not(it.Type == TypeChoice || !it.IsRepeating() || !q, "repeats", "only choice items may repeat (several options ticked)")
	not(it.Type == TypeChoice || len(it.AnswerOption) == 0, "answerOption", "only choice items have answer options")
	not(it.Type != TypeChoice || len(it.AnswerOption) > 0, "answerOption", "a choice item needs its answer options")
	not(it.MaxLength == nil || it.Type == TypeString || it.Type == TypeText, "maxLength", "only string and text items have maxLength")
	not(it.MaxLength == nil || *it.MaxLength > 0, "maxLength", "must be at least 1")
	not(!(it.IsRequired() && it.IsReadOnly()) || extension(it.Extension, CalculatedURL) != nil, "readOnly", "a required item cannot be read-only: nobody could answer it")
	if it.Type == TypeChoice {
		c.options(it, path)
	}
	c.initials(it, path)
	c.limits(it, path)
	for i, e := range it.Extension {
		ep := path + ".extension[" + itoa(i) + "]"
		switch e.URL {
		case MinValueURL, MaxValueURL, CalculatedURL, ScoreBandURL:
			// checked by limits and totals
		case AllOrNoneURL:
			not(it.Type == TypeGroup, "extension["+itoa(i)+"]", "all-or-none belongs on a group")
			not(e.ValueBoolean != nil, "extension["+itoa(i)+"]", "all-or-none needs valueBoolean")
		case OrdinalValueURL, ItemWeightURL:
			c.add(ep, "a weight belongs on an answerOption (or its valueCoding), not on the item")
		default:
			c.extensionHere(ep, e, "an item")
		}
	}
	c.elementOthers(path+"._text", it.TextExt)
	c.elementOthers(path+"._prefix", it.PrefixExt)
	c.others(path, it.Other, itemTolerated, map[string]string{
		"answerValueSet": "answerValueSet is not supported: list the answers with answerOption",
	})
}

func typeList() string {
	s := make([]string, len(supportedTypes))
	for i, t := range supportedTypes {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// Elements an item, the resource or a coding may carry that this package
// keeps without reading; any other unknown element is a problem.
var (
	topTolerated = []string{"id", "meta", "implicitRules", "text", "contained", "identifier", "name", "derivedFrom",
		"experimental", "subjectType", "date", "publisher", "contact", "description", "useContext", "jurisdiction",
		"purpose", "copyright", "approvalDate", "lastReviewDate", "effectivePeriod", "code"}
	itemTolerated   = []string{"id", "definition", "code"}
	codingTolerated = []string{"id", "version", "userSelected"}
)

// others reports the unknown elements kept in Other: the tolerated elements
// and the "_x" companions of primitives are fine, modifierExtension never is
// (it would change the meaning of what this package reads).
func (c *checker) others(path string, other map[string]json.RawMessage, tolerated []string, unsupported map[string]string) {
	keys := make([]string, 0, len(other))
	for k := range other {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		at := k
		if path != "" {
			at = path + "." + k
		}
		switch {
		case k == "modifierExtension":
			c.add(at, "modifierExtension is not supported: it changes the meaning of what it sits on")
		case unsupported[k] != "":
			c.add(at, "%s", unsupported[k])
		case slices.Contains(tolerated, k), strings.HasPrefix(k, "_") && len(k) > 1:
		default:
			c.add(at, "unknown element %q", k)
		}
	}
}

// elementOthers reports unknown keys in a primitive's "_x" element.
func (c *checker) elementOthers(path string, el *Element) {
	if el != nil {
		c.others(path, el.Other, nil, nil)
	}
}

// pathLess orders paths as they appear in the file: item[2] before item[10].
func pathLess(a, b string) bool {
	split := func(s string) []string { return pathToken.FindAllString(s, -1) }
	pa, pb := split(a), split(b)
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if pa[i] == pb[i] {
			continue
		}
		na, ea := strconv.Atoi(pa[i])
		nb, eb := strconv.Atoi(pb[i])
		if ea == nil && eb == nil {
			return na < nb
		}
		return pa[i] < pb[i]
	}
	return len(pa) < len(pb)
}

var pathToken = regexp.MustCompile(`[0-9]+|[^0-9\[\].]+`)
