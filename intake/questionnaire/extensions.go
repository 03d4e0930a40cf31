package questionnaire

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// The extensions this package reads (see the package documentation).
const (
	TranslationURL   = "http://hl7.org/fhir/StructureDefinition/translation"
	OrdinalValueURL  = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
	ItemWeightURL    = "http://hl7.org/fhir/StructureDefinition/itemWeight"
	OptionExclusive  = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
	MinValueURL      = "http://hl7.org/fhir/StructureDefinition/minValue"
	MaxValueURL      = "http://hl7.org/fhir/StructureDefinition/maxValue"
	CalculatedURL    = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
	OwnExtensionBase = "https://github.com/clinic/intake/fhir/StructureDefinition/"
	// TranslationLanguageURL (valueCode, repeated) on the Questionnaire
	// declares a language every text must be translated into.
	TranslationLanguageURL = OwnExtensionBase + "translation-language"
	// ScoreBandURL on a total item names one band of totals: sub-extensions
	// code (valueCode), min and max (valueDecimal, both included) and label
	// (valueString, translated with _valueString).
	ScoreBandURL = OwnExtensionBase + "score-band"
	// AllOrNoneURL (valueBoolean true) on a group: answer all of its
	// questions or none of them.
	AllOrNoneURL = OwnExtensionBase + "all-or-none"
)

// extension returns the first extension with the URL, or nil.
func extension(exts []Extension, url string) *Extension {
	for i := range exts {
		if exts[i].URL == url {
			return &exts[i]
		}
	}
	return nil
}

// Languages returns the languages the questionnaire is written in: its
// language first, then each declared translation language.
func (q *Questionnaire) Languages() []string {
	langs := []string{q.Language}
	for _, e := range q.Extension {
		if e.URL == TranslationLanguageURL && e.ValueCode != nil {
			langs = append(langs, *e.ValueCode)
		}
	}
	return langs
}

// translations reads the translation extensions of a primitive: lang → content.
func translations(el *Element) map[string]string {
	if el == nil {
		return nil
	}
	out := map[string]string{}
	for _, e := range el.Extension {
		if e.URL != TranslationURL {
			continue
		}
		var lang, content string
		for _, sub := range e.Extension {
			switch {
			case sub.URL == "lang" && sub.ValueCode != nil:
				lang = *sub.ValueCode
			case sub.URL == "content" && sub.ValueString != nil:
				content = *sub.ValueString
			}
		}
		if lang != "" {
			out[lang] = content
		}
	}
	return out
}

// weight reads an option's weight: ordinalValue or itemWeight on the option
// or on its coding. ok is false when it has none.
func (o *AnswerOption) weight() (w json.Number, ok bool) {
	lists := [][]Extension{o.Extension}
	if o.ValueCoding != nil {
		lists = append(lists, o.ValueCoding.Extension)
	}
	for _, exts := range lists {
		for _, e := range exts {
			if (e.URL == OrdinalValueURL || e.URL == ItemWeightURL) && e.ValueDecimal != nil {
				return *e.ValueDecimal, true
			}
		}
	}
	return "", false
}

// Weight returns the option's weight (ordinalValue or itemWeight) and
// whether it has one.
func (o *AnswerOption) Weight() (float64, bool) {
	w, ok := o.weight()
	if !ok {
		return 0, false
	}
	r, err := parseDecimal(string(w))
	if err != nil {
		return 0, false
	}
	f, _ := r.Float64()
	return f, true
}

// IsExclusive reports whether choosing the option excludes every other
// answer to the item ("None of these").
func (o *AnswerOption) IsExclusive() bool {
	e := extension(o.Extension, OptionExclusive)
	return e != nil && e.ValueBoolean != nil && *e.ValueBoolean
}

// limit is a minValue or maxValue: the value as text in the item's terms.
type limit struct {
	text string // "50", "1.5" or "2020-01-01"
}

func (it *Item) limit(url string) (limit, bool) {
	e := extension(it.Extension, url)
	if e == nil {
		return limit{}, false
	}
	switch {
	case e.ValueInteger != nil:
		return limit{text: fmt.Sprint(*e.ValueInteger)}, true
	case e.ValueDecimal != nil:
		return limit{text: string(*e.ValueDecimal)}, true
	case e.ValueDate != nil:
		return limit{text: *e.ValueDate}, true
	}
	return limit{}, false
}

// allOrNone reports the AllOrNoneURL extension on a group.
func (it *Item) allOrNone() bool {
	e := extension(it.Extension, AllOrNoneURL)
	return e != nil && e.ValueBoolean != nil && *e.ValueBoolean
}

// sumExpression is the one calculatedExpression form this package evaluates:
// the sum of the weights of the answers to the named items.
var sumExpression = regexp.MustCompile(`^\s*%resource\s*\.\s*repeat\s*\(\s*item\s*\)\s*\.\s*where\s*\(\s*linkId\s+in\s*\(([^()]*)\)\s*\)\s*\.\s*answer\s*\.\s*value\s*\.\s*weight\s*\(\s*\)\s*\.\s*sum\s*\(\s*\)\s*$`)

var quotedLinkID = regexp.MustCompile(`^'((?:[^'\\]|\\.)*)'$`)

// SumFormHelp says which calculatedExpression form is accepted.
const SumFormHelp = "only the sum of weights is supported: %resource.repeat(item).where(linkId in ('a' | 'b')).answer.value.weight().sum()"

// parseSum reads a calculatedExpression of the accepted form and returns the
// linkIds it sums.
func parseSum(expr *Expression) ([]string, error) {
	if expr == nil {
		return nil, fmt.Errorf("valueExpression is missing")
	}
	if expr.Language != "text/fhirpath" {
		return nil, fmt.Errorf("language is %q: only text/fhirpath is supported", expr.Language)
	}
	m := sumExpression.FindStringSubmatch(expr.Expression)
	if m == nil {
		return nil, fmt.Errorf("expression %q is not supported: %s", expr.Expression, SumFormHelp)
	}
	var ids []string
	for _, part := range strings.Split(m[1], "|") {
		lm := quotedLinkID.FindStringSubmatch(strings.TrimSpace(part))
		if lm == nil || lm[1] == "" {
			return nil, fmt.Errorf("expression %q: %q is not a quoted linkId", expr.Expression, strings.TrimSpace(part))
		}
		ids = append(ids, strings.NewReplacer(`\'`, `'`, `\\`, `\`).Replace(lm[1]))
	}
	return ids, nil
}

// Band is one band of an instrument's total, such as PHQ-9 10–14 "Moderate".
type Band struct {
	Code     string
	Min, Max float64 // both included
	label    string
	labelExt *Element
}

// Label is the band's label in lang, or in the questionnaire's language.
func (b Band) Label(lang string) string { return pick(b.label, b.labelExt, lang) }

// bands reads the ScoreBandURL extensions of a total item.
func (it *Item) bands() []Band {
	var out []Band
	for _, e := range it.Extension {
		if e.URL != ScoreBandURL {
			continue
		}
		var b Band
		for _, sub := range e.Extension {
			switch sub.URL {
			case "code":
				if sub.ValueCode != nil {
					b.Code = *sub.ValueCode
				}
			case "min", "max":
				if sub.ValueDecimal == nil {
					continue
				}
				f, err := sub.ValueDecimal.Float64()
				if err != nil {
					continue
				}
				if sub.URL == "min" {
					b.Min = f
				} else {
					b.Max = f
				}
			case "label":
				if sub.ValueString != nil {
					b.label = *sub.ValueString
				}
				b.labelExt = sub.ValueStringExt
			}
		}
		out = append(out, b)
	}
	return out
}
