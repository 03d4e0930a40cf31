package questionnaire

import "encoding/json"

// Questionnaire is a FHIR R4 Questionnaire resource: the elements this
// package uses are fields; every other element is kept in Other and written
// back unchanged.
type Questionnaire struct {
	ResourceType string      `json:"resourceType"`
	Language     string      `json:"language,omitempty"`
	Extension    []Extension `json:"extension,omitempty"`
	URL          string      `json:"url,omitempty"`
	Version      string      `json:"version,omitempty"`
	Title        string      `json:"title,omitempty"`
	TitleExt     *Element    `json:"_title,omitempty"`
	Status       string      `json:"status,omitempty"`
	Item         []Item      `json:"item,omitempty"`
	// Other holds the elements not listed above, by JSON name, as read.
	Other map[string]json.RawMessage `json:"-"`
	// idx is the items' index, built when the questionnaire is read.
	idx *itemIndex
}

// ItemType is Questionnaire.item.type.
type ItemType string

// The item types this package supports.
const (
	TypeGroup   ItemType = "group"
	TypeDisplay ItemType = "display"
	TypeBoolean ItemType = "boolean"
	TypeChoice  ItemType = "choice"
	TypeString  ItemType = "string"
	TypeText    ItemType = "text"
	TypeInteger ItemType = "integer"
	TypeDecimal ItemType = "decimal"
	TypeDate    ItemType = "date"
)

// IsQuestion reports whether items of this type take answers.
func (t ItemType) IsQuestion() bool {
	switch t {
	case TypeBoolean, TypeChoice, TypeString, TypeText, TypeInteger, TypeDecimal, TypeDate:
		return true
	}
	return false
}

// Item is one Questionnaire.item: a group, a display text or a question.
type Item struct {
	Extension      []Extension                `json:"extension,omitempty"`
	LinkID         string                     `json:"linkId"`
	Prefix         string                     `json:"prefix,omitempty"`
	PrefixExt      *Element                   `json:"_prefix,omitempty"`
	Text           string                     `json:"text,omitempty"`
	TextExt        *Element                   `json:"_text,omitempty"`
	Type           ItemType                   `json:"type"`
	EnableWhen     []EnableWhen               `json:"enableWhen,omitempty"`
	EnableBehavior string                     `json:"enableBehavior,omitempty"`
	Required       *bool                      `json:"required,omitempty"`
	Repeats        *bool                      `json:"repeats,omitempty"`
	ReadOnly       *bool                      `json:"readOnly,omitempty"`
	MaxLength      *int                       `json:"maxLength,omitempty"`
	AnswerOption   []AnswerOption             `json:"answerOption,omitempty"`
	Initial        []Initial                  `json:"initial,omitempty"`
	Item           []Item                     `json:"item,omitempty"`
	Other          map[string]json.RawMessage `json:"-"`
}

// IsRequired reports item.required (absent means false).
func (it *Item) IsRequired() bool { return it.Required != nil && *it.Required }

// IsRepeating reports item.repeats: a choice that takes several answers.
func (it *Item) IsRepeating() bool { return it.Repeats != nil && *it.Repeats }

// IsReadOnly reports item.readOnly: the person does not answer it.
func (it *Item) IsReadOnly() bool { return it.ReadOnly != nil && *it.ReadOnly }

// Option returns the answer option with the given code, or nil.
func (it *Item) Option(code string) *AnswerOption {
	for i := range it.AnswerOption {
		if c := it.AnswerOption[i].ValueCoding; c != nil && c.Code == code {
			return &it.AnswerOption[i]
		}
	}
	return nil
}

// The enableWhen operators (Questionnaire.item.enableWhen.operator).
const (
	OpExists       = "exists"
	OpEqual        = "="
	OpNotEqual     = "!="
	OpGreater      = ">"
	OpLess         = "<"
	OpGreaterEqual = ">="
	OpLessEqual    = "<="
)

// The enableBehavior values.
const (
	BehaviorAll = "all"
	BehaviorAny = "any"
)

// EnableWhen is one condition on another question's answer. Exactly one
// answer[x] is set.
type EnableWhen struct {
	Question      string                     `json:"question"`
	Operator      string                     `json:"operator"`
	AnswerBoolean *bool                      `json:"answerBoolean,omitempty"`
	AnswerDecimal *json.Number               `json:"answerDecimal,omitempty"`
	AnswerInteger *int64                     `json:"answerInteger,omitempty"`
	AnswerDate    *string                    `json:"answerDate,omitempty"`
	AnswerString  *string                    `json:"answerString,omitempty"`
	AnswerCoding  *Coding                    `json:"answerCoding,omitempty"`
	Other         map[string]json.RawMessage `json:"-"`
}

// AnswerOption is one permitted answer of a choice item.
type AnswerOption struct {
	Extension       []Extension                `json:"extension,omitempty"`
	ValueCoding     *Coding                    `json:"valueCoding,omitempty"`
	InitialSelected *bool                      `json:"initialSelected,omitempty"`
	Other           map[string]json.RawMessage `json:"-"`
}

// Coding is a FHIR Coding: a code in a system, with a display text.
type Coding struct {
	Extension  []Extension                `json:"extension,omitempty"`
	System     string                     `json:"system,omitempty"`
	Code       string                     `json:"code,omitempty"`
	Display    string                     `json:"display,omitempty"`
	DisplayExt *Element                   `json:"_display,omitempty"`
	Other      map[string]json.RawMessage `json:"-"`
}

// AnswerValue is a FHIR value[x] of the types a question is answered with:
// an initial value, an answer in a QuestionnaireResponse, the value of an
// extension. At most one field is set.
type AnswerValue struct {
	ValueBoolean *bool        `json:"valueBoolean,omitempty"`
	ValueDecimal *json.Number `json:"valueDecimal,omitempty"`
	ValueInteger *int64       `json:"valueInteger,omitempty"`
	ValueDate    *string      `json:"valueDate,omitempty"`
	ValueString  *string      `json:"valueString,omitempty"`
	ValueCoding  *Coding      `json:"valueCoding,omitempty"`
}

// Initial is one initial value of a question. Exactly one value[x] is set.
type Initial struct {
	AnswerValue
	Other map[string]json.RawMessage `json:"-"`
}

// Element holds the extensions of a primitive value: the JSON "_text" beside
// "text", where translations live.
type Element struct {
	ID        string                     `json:"id,omitempty"`
	Extension []Extension                `json:"extension,omitempty"`
	Other     map[string]json.RawMessage `json:"-"`
}

// Extension is a FHIR extension. The value[x] types this package reads are
// fields; any other value[x] stays in Other.
type Extension struct {
	URL       string      `json:"url"`
	Extension []Extension `json:"extension,omitempty"`
	AnswerValue
	ValueStringExt  *Element                   `json:"_valueString,omitempty"`
	ValueCode       *string                    `json:"valueCode,omitempty"`
	ValueExpression *Expression                `json:"valueExpression,omitempty"`
	Other           map[string]json.RawMessage `json:"-"`
}

// Expression is a FHIR Expression (used by SDC calculatedExpression).
type Expression struct {
	Description string                     `json:"description,omitempty"`
	Name        string                     `json:"name,omitempty"`
	Language    string                     `json:"language,omitempty"`
	Expression  string                     `json:"expression,omitempty"`
	Other       map[string]json.RawMessage `json:"-"`
}

// Lookup returns the item with the given linkId anywhere in the
// questionnaire (the first in document order), or nil.
func (q *Questionnaire) Lookup(linkID string) *Item {
	return q.index().first[linkID]
}

// walk calls fn for every item, depth first in document order, with its JSON
// path and its ancestors (outermost first; fn must not change them). fn
// returns false to stop.
func (q *Questionnaire) walk(fn func(it *Item, path string, parents []*Item) bool) {
	for _, e := range q.index().entries {
		if !fn(e.it, e.path, e.parents) {
			return
		}
	}
}
