package questionnaire

import (
	"encoding/json"
	"math/big"
	"strings"
	"time"
)

// QuestionnaireResponse is a FHIR R4 QuestionnaireResponse, as Response
// builds it. Identifier is for the caller (the enquiry's reference).
type QuestionnaireResponse struct {
	ResourceType  string         `json:"resourceType"`
	Language      string         `json:"language,omitempty"`
	Identifier    *Identifier    `json:"identifier,omitempty"`
	Questionnaire string         `json:"questionnaire,omitempty"`
	Status        string         `json:"status"`
	Authored      string         `json:"authored,omitempty"`
	Item          []ResponseItem `json:"item,omitempty"`
}

// Identifier is a FHIR Identifier.
type Identifier struct {
	System string `json:"system,omitempty"`
	Value  string `json:"value,omitempty"`
}

// ResponseItem is one QuestionnaireResponse.item: a group with its items, or
// a question with its answers.
type ResponseItem struct {
	LinkID string         `json:"linkId"`
	Text   string         `json:"text,omitempty"`
	Answer []AnswerValue  `json:"answer,omitempty"`
	Item   []ResponseItem `json:"item,omitempty"`
}

// Response builds the FHIR R4 QuestionnaireResponse of one submission:
// questionnaire "url|version", status completed, the language the person
// answered in, authored at the given time, and items nested as in the
// questionnaire, with the texts and option displays in that language. Only
// enabled items that were answered appear (groups only when something in
// them does; display items never); totals appear with their group. Text
// answers are trimmed of leading and trailing whitespace, as FHIR strings
// must be. Answers that Validate would refuse are left out: validate first.
func (q *Questionnaire) Response(a Answers, lang string, authored time.Time) *QuestionnaireResponse {
	return q.ResponseKeeping(a, nil, lang, authored)
}

// ResponseKeeping is Response, except that the answers to the items named in
// keep appear even when their conditions disable them (with the groups that
// hold them): answers kept on purpose, such as a blood-pressure reading in
// the crisis range given while the reading was not asked, which is the
// evidence of the flag it raised.
func (q *Questionnaire) ResponseKeeping(a Answers, keep []string, lang string, authored time.Time) *QuestionnaireResponse {
	r := &QuestionnaireResponse{
		ResourceType: "QuestionnaireResponse",
		Language:     lang,
		Status:       "completed",
		Authored:     authored.Format(time.RFC3339),
	}
	if q.URL != "" {
		r.Questionnaire = q.URL
		if q.Version != "" {
			r.Questionnaire += "|" + q.Version
		}
	}
	totals, _ := q.exactScores(a)
	enabled := q.Enabled(a)
	for _, id := range keep {
		if len(a.present(id)) == 0 {
			continue
		}
		enabled[id] = true
		for _, p := range q.Parents(id) {
			enabled[p.LinkID] = true
		}
	}
	b := responseBuilder{q: q, a: a, lang: lang, enabled: enabled, totals: totals}
	r.Item = b.items(q.Item)
	return r
}

type responseBuilder struct {
	q       *Questionnaire
	a       Answers
	lang    string
	enabled map[string]bool
	totals  map[string]*big.Rat // total item linkId → its value
}

func (b *responseBuilder) items(items []Item) []ResponseItem {
	var out []ResponseItem
	for i := range items {
		it := &items[i]
		if !b.enabled[it.LinkID] {
			continue
		}
		ri := ResponseItem{LinkID: it.LinkID, Text: Text(it, b.lang)}
		switch {
		case it.Type == TypeGroup:
			ri.Item = b.items(it.Item)
			if len(ri.Item) == 0 {
				continue
			}
		case it.Type.IsQuestion():
			ri.Answer = b.answers(it)
			if len(ri.Answer) == 0 {
				continue
			}
		default:
			continue
		}
		out = append(out, ri)
	}
	return out
}

func (b *responseBuilder) answers(it *Item) []AnswerValue {
	if t, ok := b.totals[it.LinkID]; ok {
		return []AnswerValue{numberAnswer(it.Type, t)}
	}
	if it.IsReadOnly() {
		return nil
	}
	vals := b.a.present(it.LinkID)
	if len(vals) > 1 && !it.IsRepeating() {
		return nil
	}
	var out []AnswerValue
	for _, v := range vals {
		if _, bad := checkValue(it, v); bad {
			continue
		}
		var ra AnswerValue
		switch it.Type {
		case TypeBoolean:
			ra.ValueBoolean = &v.b
		case TypeInteger:
			ra.ValueInteger = &v.i
		case TypeDecimal:
			n := json.Number(v.Text())
			ra.ValueDecimal = &n
		case TypeDate:
			ra.ValueDate = &v.s
		case TypeString, TypeText:
			s := strings.TrimSpace(v.s)
			if s == "" {
				continue
			}
			ra.ValueString = &s
		case TypeChoice:
			o := it.Option(v.s)
			ra.ValueCoding = &Coding{System: o.ValueCoding.System, Code: o.ValueCoding.Code, Display: Display(o, b.lang)}
		}
		out = append(out, ra)
	}
	return out
}

// numberAnswer writes a total as valueInteger or valueDecimal, by the total
// item's type.
func numberAnswer(t ItemType, r *big.Rat) AnswerValue {
	if t == TypeInteger && r.IsInt() {
		n := r.Num().Int64()
		return AnswerValue{ValueInteger: &n}
	}
	n := json.Number(decimalText(r))
	return AnswerValue{ValueDecimal: &n}
}

// decimalText writes an exact sum of decimals as a decimal literal: it has
// as many places as its denominator needs (a sum of decimals always ends).
func decimalText(r *big.Rat) string {
	scaled, ten := new(big.Rat).Set(r), big.NewRat(10, 1)
	places := 0
	for !scaled.IsInt() && places < 20 {
		scaled.Mul(scaled, ten)
		places++
	}
	return r.FloatString(places)
}
