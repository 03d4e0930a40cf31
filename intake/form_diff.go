package intake

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/clinic/intake/intake/questionnaire"
)

// FormChange is one difference between two versions of a form, at the level
// a clinician signs off: an item (by linkId) or a rule (by code) added,
// removed or changed, with what changed in words.
type FormChange struct {
	Kind    string   // "added", "removed" or "changed"
	What    string   // "item" or "rule" (or "form" for the version, url and languages)
	ID      string   // the item's linkId or the rule's code
	Details []string // for a change: each element that differs, "text (es): “…” → “…”"
}

// DiffForms lists what changed from form a to form b: items in b's order
// (removed ones where a had them), then rules.
func DiffForms(a, b *Form) []FormChange {
	var out []FormChange
	var form []string
	if a.Version() != b.Version() {
		form = append(form, fmt.Sprintf("version: %q → %q", a.Version(), b.Version()))
	}
	if al, bl := a.Questionnaire.Languages(), b.Questionnaire.Languages(); !slices.Equal(al, bl) {
		form = append(form, fmt.Sprintf("languages: %s → %s", strings.Join(al, ", "), strings.Join(bl, ", ")))
	}
	if len(form) > 0 {
		out = append(out, FormChange{Kind: "changed", What: "form", ID: b.Questionnaire.URL, Details: form})
	}
	langs := union(a.Questionnaire.Languages(), b.Questionnaire.Languages())
	aItems, bItems := itemsByID(a.Questionnaire), itemsByID(b.Questionnaire)
	for _, id := range mergedOrder(linkIDs(a.Questionnaire), linkIDs(b.Questionnaire)) {
		ai, bi := aItems[id], bItems[id]
		switch {
		case ai == nil:
			out = append(out, FormChange{Kind: "added", What: "item", ID: id, Details: describeItem(bi, b.Questionnaire.Language)})
		case bi == nil:
			out = append(out, FormChange{Kind: "removed", What: "item", ID: id, Details: describeItem(ai, a.Questionnaire.Language)})
		default:
			if d := itemChanges(ai, bi, langs); len(d) > 0 {
				out = append(out, FormChange{Kind: "changed", What: "item", ID: id, Details: d})
			}
		}
	}
	aRules, bRules := rulesByCode(a.Rules), rulesByCode(b.Rules)
	for _, code := range mergedOrder(ruleCodes(a.Rules), ruleCodes(b.Rules)) {
		ar, br := aRules[code], bRules[code]
		switch {
		case ar == nil:
			out = append(out, FormChange{Kind: "added", What: "rule", ID: code, Details: []string{describeRule(br)}})
		case br == nil:
			out = append(out, FormChange{Kind: "removed", What: "rule", ID: code, Details: []string{describeRule(ar)}})
		default:
			if d := ruleChanges(ar, br); len(d) > 0 {
				out = append(out, FormChange{Kind: "changed", What: "rule", ID: code, Details: d})
			}
		}
	}
	return out
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// mergedOrder is b's order, with what only a has placed after the element
// that came before it in a.
func mergedOrder(a, b []string) []string {
	out := slices.Clone(b)
	for i, id := range a {
		if slices.Contains(out, id) {
			continue
		}
		at := 0
		if i > 0 {
			at = slices.Index(out, a[i-1]) + 1
		}
		out = slices.Insert(out, at, id)
	}
	return out
}

func linkIDs(q *questionnaire.Questionnaire) []string {
	var out []string
	var visit func(items []questionnaire.Item)
	visit = func(items []questionnaire.Item) {
		for i := range items {
			out = append(out, items[i].LinkID)
			visit(items[i].Item)
		}
	}
	visit(q.Item)
	return out
}

func itemsByID(q *questionnaire.Questionnaire) map[string]*questionnaire.Item {
	out := map[string]*questionnaire.Item{}
	for _, id := range linkIDs(q) {
		out[id] = q.Lookup(id)
	}
	return out
}

func describeItem(it *questionnaire.Item, lang string) []string {
	d := []string{fmt.Sprintf("%s: %s", it.Type, quote(questionnaire.Text(it, lang)))}
	if it.IsRequired() {
		d = append(d, "required")
	}
	if len(it.EnableWhen) > 0 {
		d = append(d, "asked when "+conditionsText(it))
	}
	for i := range it.AnswerOption {
		d = append(d, "answer "+optionText(&it.AnswerOption[i], lang))
	}
	return d
}

func quote(s string) string { return "\u201c" + s + "\u201d" }

func optionText(o *questionnaire.AnswerOption, lang string) string {
	s := o.ValueCoding.Code + " " + quote(questionnaire.Display(o, lang))
	if w, ok := o.Weight(); ok {
		s += fmt.Sprintf(" (weight %g)", w)
	}
	return s
}

func conditionsText(it *questionnaire.Item) string {
	var parts []string
	for _, w := range it.EnableWhen {
		b, _ := json.Marshal(w)
		var m map[string]any
		json.Unmarshal(b, &m) //nolint:errcheck // our own JSON
		val := ""
		for k, v := range m {
			if strings.HasPrefix(k, "answer") {
				if c, ok := v.(map[string]any); ok {
					v = c["code"]
				}
				val = fmt.Sprint(v)
			}
		}
		parts = append(parts, fmt.Sprintf("%s %s %s", w.Question, w.Operator, val))
	}
	sep := " and "
	if it.EnableBehavior == questionnaire.BehaviorAny {
		sep = " or "
	}
	return strings.Join(parts, sep)
}

// itemChanges lists what differs between two versions of one item.
func itemChanges(a, b *questionnaire.Item, langs []string) []string {
	var d []string
	diff := func(what, x, y string) {
		if x != y {
			d = append(d, fmt.Sprintf("%s: %s → %s", what, x, y))
		}
	}
	diff("type", string(a.Type), string(b.Type))
	for _, l := range langs {
		diff("text ("+l+")", quote(questionnaire.Text(a, l)), quote(questionnaire.Text(b, l)))
	}
	diff("required", fmt.Sprint(a.IsRequired()), fmt.Sprint(b.IsRequired()))
	diff("several answers", fmt.Sprint(a.IsRepeating()), fmt.Sprint(b.IsRepeating()))
	diff("asked when", orAlways(conditionsText(a)), orAlways(conditionsText(b)))
	alo, ahi := a.Limits()
	blo, bhi := b.Limits()
	diff("limits", alo+"–"+ahi, blo+"–"+bhi)
	diff("maxLength", intText(a.MaxLength), intText(b.MaxLength))
	var codes []string
	for _, it := range []*questionnaire.Item{a, b} {
		for i := range it.AnswerOption {
			if c := it.AnswerOption[i].ValueCoding.Code; !slices.Contains(codes, c) {
				codes = append(codes, c)
			}
		}
	}
	for _, c := range codes {
		ao, bo := a.Option(c), b.Option(c)
		switch {
		case ao == nil:
			d = append(d, "answer added: "+optionText(bo, langs[0]))
		case bo == nil:
			d = append(d, "answer removed: "+optionText(ao, langs[0]))
		default:
			for _, l := range langs {
				diff("answer "+c+" ("+l+")", optionText(ao, l), optionText(bo, l))
			}
			diff("answer "+c+" on its own", fmt.Sprint(ao.IsExclusive()), fmt.Sprint(bo.IsExclusive()))
		}
	}
	return d
}

func orAlways(s string) string {
	if s == "" {
		return "always"
	}
	return s
}

func intText(n *int) string {
	if n == nil {
		return "none"
	}
	return fmt.Sprint(*n)
}

func ruleCodes(rs *RuleSet) []string {
	var out []string
	for _, r := range rs.Rules {
		out = append(out, r.Code)
	}
	return out
}

func rulesByCode(rs *RuleSet) map[string]*Rule {
	out := map[string]*Rule{}
	for i := range rs.Rules {
		out[rs.Rules[i].Code] = &rs.Rules[i]
	}
	return out
}

func describeRule(r *Rule) string {
	s := r.Level
	if r.Crisis {
		s += ", crisis"
	}
	return s + " when " + ruleConditions(r) + ": " + r.Reason
}

func ruleConditions(r *Rule) string {
	var parts []string
	for _, c := range r.Any {
		b, _ := json.Marshal(c)
		parts = append(parts, string(b))
	}
	return strings.Join(parts, " or ")
}

func ruleChanges(a, b *Rule) []string {
	var d []string
	diff := func(what, x, y string) {
		if x != y {
			d = append(d, fmt.Sprintf("%s: %s → %s", what, x, y))
		}
	}
	diff("level", a.Level, b.Level)
	diff("crisis", fmt.Sprint(a.Crisis), fmt.Sprint(b.Crisis))
	diff("when", ruleConditions(a), ruleConditions(b))
	diff("reason", quote(a.Reason), quote(b.Reason))
	diff("source", quote(a.Source), quote(b.Source))
	return d
}
