package questionnaire

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// ErrorCode says what is wrong with one item's answer. The codes are stable:
// message files and API clients key on them.
type ErrorCode string

// The error codes Validate returns.
const (
	ErrRequired       ErrorCode = "required"         // a required, enabled item has no answer
	ErrNotAnOption    ErrorCode = "not_an_option"    // a code that is not one of the item's options
	ErrTooLong        ErrorCode = "too_long"         // text longer than maxLength characters
	ErrWrongType      ErrorCode = "wrong_type"       // a value that is not of the item's type
	ErrOutOfRange     ErrorCode = "out_of_range"     // below minValue or above maxValue
	ErrNoneWithOthers ErrorCode = "none_with_others" // an exclusive option ("None of these") with another
	ErrDuplicate      ErrorCode = "duplicate"        // the same option twice
	ErrOneAnswerOnly  ErrorCode = "one_answer_only"  // several answers to an item that does not repeat
	ErrAllOrNone      ErrorCode = "all_or_none"      // part of an all-or-none group answered
	ErrNotEnabled     ErrorCode = "not_enabled"      // an answer to an item its conditions disable
	ErrReadOnly       ErrorCode = "read_only"        // an answer to a calculated or read-only item
	ErrNotAQuestion   ErrorCode = "not_a_question"   // a linkId that is no question of this form
)

// FieldError is one problem with the answer to one item.
type FieldError struct {
	LinkID string
	Code   ErrorCode
	// Message says it in the language asked for, in plain words that never
	// repeat the value given.
	Message string
	// Min and Max are the limits for out_of_range (either may be empty);
	// MaxLength the limit for too_long; Exclusive the exclusive options'
	// displays for none_with_others. Message files use them.
	Min, Max  string
	MaxLength int
	Exclusive []string
}

// Validate checks the answers against the questionnaire and returns at most
// one error per linkId (the first found), or nil when all is well. Messages
// are in lang when this package has them (English and Spanish), else in
// English. Answers to disabled items are errors (not_enabled): a form post
// calls DropDisabled first.
func (q *Questionnaire) Validate(a Answers, lang string) map[string]FieldError {
	v := validation{q: q, a: a, lang: lang, enabled: q.Enabled(a), errs: map[string]FieldError{}}
	for id := range a {
		if q.Lookup(id) == nil || !q.Lookup(id).Type.IsQuestion() {
			if len(a.present(id)) > 0 {
				v.add(FieldError{LinkID: id, Code: ErrNotAQuestion})
			}
		}
	}
	q.walk(func(it *Item, _ string, _ []*Item) bool {
		v.item(it)
		return true
	})
	if len(v.errs) == 0 {
		return nil
	}
	return v.errs
}

type validation struct {
	q       *Questionnaire
	a       Answers
	lang    string
	enabled map[string]bool
	errs    map[string]FieldError
}

func (v *validation) add(fe FieldError) {
	if _, seen := v.errs[fe.LinkID]; seen {
		return
	}
	fe.Message = message(fe, v.lang)
	v.errs[fe.LinkID] = fe
}

func (v *validation) item(it *Item) {
	id := it.LinkID
	vals := v.a.present(id)
	switch {
	case !v.enabled[id]:
		if len(vals) > 0 {
			v.add(FieldError{LinkID: id, Code: ErrNotEnabled})
		}
		return
	case it.Type == TypeGroup:
		v.group(it)
		return
	case !it.Type.IsQuestion():
		return
	case it.IsReadOnly():
		if len(vals) > 0 {
			v.add(FieldError{LinkID: id, Code: ErrReadOnly})
		}
		return
	case len(vals) == 0:
		if it.IsRequired() {
			v.add(FieldError{LinkID: id, Code: ErrRequired})
		}
		return
	case len(vals) > 1 && !it.IsRepeating():
		v.add(FieldError{LinkID: id, Code: ErrOneAnswerOnly})
		return
	}
	for _, val := range vals {
		if fe, bad := checkValue(it, val); bad {
			v.add(fe)
			return
		}
	}
	if it.Type == TypeChoice && len(vals) > 1 {
		v.several(it, vals)
	}
}

// group checks a required group (some question in it answered) and an
// all-or-none group (all its questions answered, or none).
func (v *validation) group(g *Item) {
	var answered, unanswered []string
	for _, c := range g.Item {
		if !c.Type.IsQuestion() || c.IsReadOnly() || !v.enabled[c.LinkID] {
			continue
		}
		if len(v.a.present(c.LinkID)) > 0 {
			answered = append(answered, c.LinkID)
		} else {
			unanswered = append(unanswered, c.LinkID)
		}
	}
	if g.IsRequired() && len(answered) == 0 && !v.anyAnswerBelow(g) {
		v.add(FieldError{LinkID: g.LinkID, Code: ErrRequired})
	}
	if g.allOrNone() && len(answered) > 0 {
		for _, id := range unanswered {
			v.add(FieldError{LinkID: id, Code: ErrAllOrNone})
		}
	}
}

func (v *validation) anyAnswerBelow(g *Item) bool {
	for i := range g.Item {
		c := &g.Item[i]
		if v.enabled[c.LinkID] && (len(v.a.present(c.LinkID)) > 0 || v.anyAnswerBelow(c)) {
			return true
		}
	}
	return false
}

// several checks a multi-choice answer: no option twice, and an exclusive
// option alone.
func (v *validation) several(it *Item, vals []Value) {
	seen := map[string]bool{}
	var exclusive []string
	for _, val := range vals {
		if seen[val.s] {
			v.add(FieldError{LinkID: it.LinkID, Code: ErrDuplicate})
			return
		}
		seen[val.s] = true
		if o := it.Option(val.s); o != nil && o.IsExclusive() {
			exclusive = append(exclusive, val.s)
		}
	}
	if len(exclusive) == 0 {
		return
	}
	var names []string
	for i := range it.AnswerOption {
		if o := &it.AnswerOption[i]; o.IsExclusive() {
			names = append(names, Display(o, v.lang))
		}
	}
	v.add(FieldError{LinkID: it.LinkID, Code: ErrNoneWithOthers, Exclusive: names})
}

// checkValue checks one answer against its item's type, options and limits.
func checkValue(it *Item, val Value) (FieldError, bool) {
	fe := FieldError{LinkID: it.LinkID}
	want := answerKind[it.Type]
	if val.kind != want && (it.Type != TypeDecimal || val.kind != KindInt) {
		fe.Code = ErrWrongType
		return fe, true
	}
	switch it.Type {
	case TypeChoice:
		if it.Option(val.s) == nil {
			fe.Code = ErrNotAnOption
			return fe, true
		}
	case TypeString, TypeText:
		if it.MaxLength != nil && utf8.RuneCountInString(val.s) > *it.MaxLength {
			fe.Code, fe.MaxLength = ErrTooLong, *it.MaxLength
			return fe, true
		}
	case TypeInteger, TypeDecimal, TypeDate:
		lo, hasLo := it.limit(MinValueURL)
		hi, hasHi := it.limit(MaxValueURL)
		if (hasLo && compareLimit(val, lo) < 0) || (hasHi && compareLimit(val, hi) > 0) {
			fe.Code = ErrOutOfRange
			if hasLo {
				fe.Min = lo.text
			}
			if hasHi {
				fe.Max = hi.text
			}
			return fe, true
		}
	}
	return fe, false
}

// answerKind is the kind of value each question type takes.
var answerKind = map[ItemType]Kind{TypeBoolean: KindBool, TypeChoice: KindCode, TypeString: KindString, TypeText: KindString,
	TypeInteger: KindInt, TypeDecimal: KindDecimal, TypeDate: KindDate}

// compareLimit compares an answer with a minValue or maxValue: numbers by
// value, dates as text (FHIR dates of one precision sort as text). It is 0
// when they cannot be compared, so that nothing is refused on a guess.
func compareLimit(val Value, l limit) int {
	if val.kind == KindDate {
		if len(val.s) != len(l.text) {
			return 0
		}
		return strings.Compare(val.s, l.text)
	}
	got, ok := val.rat()
	if !ok {
		return 0
	}
	want, err := parseDecimal(l.text)
	if err != nil {
		return 0
	}
	return got.Cmp(want)
}

// message renders a field error in lang (English or Spanish; English for any
// other language).
func message(fe FieldError, lang string) string {
	m := messagesEN
	if strings.EqualFold(primaryLanguage(lang), "es") {
		m = messagesES
	}
	switch fe.Code {
	case ErrTooLong:
		return fmt.Sprintf(m[ErrTooLong], fe.MaxLength)
	case ErrOutOfRange:
		switch {
		case fe.Min != "" && fe.Max != "":
			return fmt.Sprintf(m[ErrOutOfRange], fe.Min, fe.Max)
		case fe.Min != "":
			return fmt.Sprintf(m["out_of_range_min"], fe.Min)
		}
		return fmt.Sprintf(m["out_of_range_max"], fe.Max)
	case ErrNoneWithOthers:
		quoted := make([]string, len(fe.Exclusive))
		for i, s := range fe.Exclusive {
			quoted[i] = m["quote_open"] + s + m["quote_close"]
		}
		sort.Strings(quoted)
		return fmt.Sprintf(m[ErrNoneWithOthers], strings.Join(quoted, m["or"]))
	}
	if s, ok := m[fe.Code]; ok {
		return s
	}
	return m["default"]
}

var messagesEN = map[ErrorCode]string{
	ErrRequired:        "Please answer this question.",
	ErrNotAnOption:     "Please choose one of the answers listed.",
	ErrTooLong:         "Please write %d characters or fewer.",
	ErrWrongType:       "Please check this answer: it is not in the form this question needs.",
	ErrOutOfRange:      "Please enter a value between %s and %s.",
	"out_of_range_min": "Please enter %s or more.",
	"out_of_range_max": "Please enter %s or less.",
	ErrNoneWithOthers:  "Please choose %s on its own, not together with other answers.",
	ErrDuplicate:       "Please choose each answer only once.",
	ErrOneAnswerOnly:   "Please choose only one answer.",
	ErrAllOrNone:       "Please fill in all of these, or leave them all empty.",
	ErrNotEnabled:      "This question does not apply, given your other answers.",
	ErrReadOnly:        "This is worked out from your other answers and cannot be filled in.",
	ErrNotAQuestion:    "This form has no such question.",
	"quote_open":       "\u201c",
	"quote_close":      "\u201d",
	"or":               " or ",
	"default":          "Please check this answer.",
}

var messagesES = map[ErrorCode]string{
	ErrRequired:        "Por favor, responda esta pregunta.",
	ErrNotAnOption:     "Por favor, elija una de las respuestas de la lista.",
	ErrTooLong:         "Por favor, escriba %d caracteres o menos.",
	ErrWrongType:       "Por favor, revise esta respuesta: no tiene la forma que pide la pregunta.",
	ErrOutOfRange:      "Por favor, escriba un valor entre %s y %s.",
	"out_of_range_min": "Por favor, escriba %s o más.",
	"out_of_range_max": "Por favor, escriba %s o menos.",
	ErrNoneWithOthers:  "Por favor, elija %s sola, sin otras respuestas.",
	ErrDuplicate:       "Por favor, elija cada respuesta una sola vez.",
	ErrOneAnswerOnly:   "Por favor, elija una sola respuesta.",
	ErrAllOrNone:       "Por favor, complete todos estos datos o deje todos vacíos.",
	ErrNotEnabled:      "Esta pregunta no corresponde según sus otras respuestas.",
	ErrReadOnly:        "Este dato se calcula a partir de sus otras respuestas y no se puede llenar.",
	ErrNotAQuestion:    "Este formulario no tiene esa pregunta.",
	"quote_open":       "\u00ab",
	"quote_close":      "\u00bb",
	"or":               " o ",
	"default":          "Por favor, revise esta respuesta.",
}

// Codes lists every error code Validate returns, for message files and
// their tests.
func Codes() []ErrorCode {
	return []ErrorCode{ErrRequired, ErrNotAnOption, ErrTooLong, ErrWrongType, ErrOutOfRange,
		ErrNoneWithOthers, ErrDuplicate, ErrOneAnswerOnly, ErrAllOrNone, ErrNotEnabled, ErrReadOnly,
		ErrNotAQuestion}
}
