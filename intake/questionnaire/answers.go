package questionnaire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Kind is the type of one answer value.
type Kind int

// The kinds of answer value. KindInvalid holds input that could not be read
// as the item's type (a reading of "abc"); Validate reports it as wrong_type.
const (
	KindInvalid Kind = iota
	KindBool
	KindInt
	KindDecimal
	KindString
	KindDate
	KindCode
)

// Value is one answer: a boolean, whole number, decimal, text, date or the
// code of a chosen option. Build it with the functions below.
type Value struct {
	kind Kind
	b    bool
	i    int64
	s    string // text, date, code, decimal literal, or the unreadable input
}

// Bool is a boolean answer.
func Bool(b bool) Value { return Value{kind: KindBool, b: b} }

// Int is a whole-number answer.
func Int(n int64) Value { return Value{kind: KindInt, i: n} }

// Dec is a decimal answer from its literal ("37.5"); anything that is not a
// decimal number gives a value Validate reports as wrong_type.
func Dec(literal string) Value {
	if !decimalPattern.MatchString(literal) {
		return Value{kind: KindInvalid, s: literal}
	}
	return Value{kind: KindDecimal, s: literal}
}

// Str is a text answer, as typed.
func Str(s string) Value { return Value{kind: KindString, s: s} }

// DateOf is a date answer: YYYY, YYYY-MM or YYYY-MM-DD (FHIR date). An
// impossible date gives a value Validate reports as wrong_type.
func DateOf(s string) Value {
	if !validDate(s) {
		return Value{kind: KindInvalid, s: s}
	}
	return Value{kind: KindDate, s: s}
}

// Code is the answer to a choice item: the code of the chosen option.
func Code(code string) Value { return Value{kind: KindCode, s: code} }

// Invalid is input that could not be read as the item's type.
func Invalid(raw string) Value { return Value{kind: KindInvalid, s: raw} }

// Kind returns the value's kind.
func (v Value) Kind() Kind { return v.kind }

// Bool returns a boolean answer (false for other kinds).
func (v Value) Bool() bool { return v.kind == KindBool && v.b }

// Int returns a whole-number answer (0 for other kinds).
func (v Value) Int() int64 {
	if v.kind != KindInt {
		return 0
	}
	return v.i
}

// Text returns the answer as text: the string as typed, the code, the date,
// the decimal literal, a number or "true"/"false", or the unreadable input.
func (v Value) Text() string {
	switch v.kind {
	case KindBool:
		return strconv.FormatBool(v.b)
	case KindInt:
		return strconv.FormatInt(v.i, 10)
	}
	return v.s
}

// String is Text, for fmt.
func (v Value) String() string { return v.Text() }

// rat returns a number answer exactly; ok is false for other kinds.
func (v Value) rat() (*big.Rat, bool) {
	switch v.kind {
	case KindInt:
		return new(big.Rat).SetInt64(v.i), true
	case KindDecimal:
		r, err := parseDecimal(v.s)
		return r, err == nil
	}
	return nil, false
}

// blank reports an answer that says nothing: empty or spaces-only text.
func (v Value) blank() bool {
	return (v.kind == KindString || v.kind == KindCode) && strings.TrimSpace(v.s) == ""
}

// Answers are one submission's answers, by linkId. A repeating item may have
// several values; any other has at most one.
type Answers map[string][]Value

// Set replaces the answers to one item.
func (a Answers) Set(linkID string, vs ...Value) { a[linkID] = vs }

// present returns the answers that say something: the answers themselves
// when none is blank (the caller must not change them), else a new list.
func (a Answers) present(linkID string) []Value {
	vs := a[linkID]
	for i, v := range vs {
		if v.blank() {
			return presentCopy(vs[:i], vs[i+1:])
		}
	}
	if len(vs) == 0 {
		return nil
	}
	return vs
}

// presentCopy returns, as a new list, the answers of kept and those of rest
// that say something; nil when there are none.
func presentCopy(kept, rest []Value) []Value {
	var out []Value
	for _, v := range rest {
		if !v.blank() {
			out = make([]Value, 0, len(kept)+len(rest))
			break
		}
	}
	out = append(out, kept...)
	for _, v := range rest {
		if !v.blank() {
			out = append(out, v)
		}
	}
	return out
}

// FormAnswers reads an HTML form post (url.Values) into answers, by the
// types of the questionnaire's items. Other keys are ignored, as are empty
// values. A value that cannot be read as the item's type is kept as Invalid,
// so that Validate says so beside the field.
func (q *Questionnaire) FormAnswers(values map[string][]string) Answers {
	a := Answers{}
	q.walk(func(it *Item, _ string, _ []*Item) bool {
		if !it.Type.IsQuestion() {
			return true
		}
		for _, raw := range values[it.LinkID] {
			s := raw
			if it.Type != TypeString && it.Type != TypeText {
				s = strings.TrimSpace(raw)
			}
			if strings.TrimSpace(s) == "" {
				continue
			}
			a[it.LinkID] = append(a[it.LinkID], formValue(it.Type, s))
		}
		return true
	})
	return a
}

func formValue(t ItemType, s string) Value {
	switch t {
	case TypeBoolean:
		switch s {
		case "true":
			return Bool(true)
		case "false":
			return Bool(false)
		}
	case TypeInteger:
		if n, err := strconv.ParseInt(s, 10, 32); err == nil {
			return Int(n)
		}
	case TypeDecimal:
		return Dec(s)
	case TypeDate:
		return DateOf(s)
	case TypeChoice:
		return Code(s)
	case TypeString, TypeText:
		return Str(s)
	}
	return Invalid(s)
}

// JSONAnswers reads the answers in a JSON object keyed by linkId (the JSON
// API's body): true/false for boolean items, numbers for integer and decimal
// items, strings for text, date and choice items (the option's code), and a
// list of those for several answers. Keys that are not linkIds of questions
// are ignored; null is no answer. A value of the wrong JSON type is kept as
// Invalid.
func (q *Questionnaire) JSONAnswers(fields map[string]json.RawMessage) Answers {
	a := Answers{}
	q.walk(func(it *Item, _ string, _ []*Item) bool {
		raw, ok := fields[it.LinkID]
		if !ok || !it.Type.IsQuestion() {
			return true
		}
		raw = bytes.TrimSpace(raw)
		if bytes.Equal(raw, []byte("null")) {
			return true
		}
		var list []json.RawMessage
		if len(raw) > 0 && raw[0] == '[' {
			if err := json.Unmarshal(raw, &list); err != nil {
				a[it.LinkID] = []Value{Invalid(string(raw))}
				return true
			}
		} else {
			list = []json.RawMessage{raw}
		}
		for _, r := range list {
			a[it.LinkID] = append(a[it.LinkID], jsonValue(it.Type, r))
		}
		return true
	})
	return a
}

func jsonValue(t ItemType, raw json.RawMessage) Value {
	v, ok := jsonScalar(raw)
	if !ok {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return Invalid(string(raw))
		}
	}
	return typedValue(t, v, raw)
}

// typedValue is the answer of an item of type t that a JSON value v (as a
// decoder with UseNumber gives it) stands for, or Invalid(raw).
func typedValue(t ItemType, v any, raw json.RawMessage) Value {
	switch x := v.(type) {
	case bool:
		if t == TypeBoolean {
			return Bool(x)
		}
	case json.Number:
		switch t {
		case TypeInteger:
			if n, err := strconv.ParseInt(x.String(), 10, 32); err == nil {
				return Int(n)
			}
		case TypeDecimal:
			return Dec(x.String())
		}
	case string:
		switch t {
		case TypeString, TypeText:
			return Str(x)
		case TypeDate:
			return DateOf(x)
		case TypeChoice:
			return Code(x)
		}
	}
	return Invalid(string(raw))
}

// jsonScalar reads raw when it is exactly one string, number or boolean, as
// a decoder with UseNumber reads it, without building a decoder per value;
// ok is false for anything else, which the decoder reads.
func jsonScalar(raw []byte) (v any, ok bool) {
	b := bytes.TrimSpace(raw)
	if len(b) == 0 {
		return nil, false
	}
	switch c := b[0]; {
	case c == '"':
		var s string
		if json.Unmarshal(b, &s) == nil {
			return s, true
		}
	case c == '-' || ('0' <= c && c <= '9'):
		var n json.Number
		if json.Unmarshal(b, &n) == nil {
			return n, true
		}
	case string(b) == "true":
		return true, true
	case string(b) == "false":
		return false, true
	}
	return nil, false
}

// decimalPattern is FHIR's decimal: no exponent is needed on a form.
var decimalPattern = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?$`)

// parseDecimal reads a FHIR decimal (JSON number) exactly.
func parseDecimal(s string) (*big.Rat, error) {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return nil, fmt.Errorf("%q is not a number", s)
	}
	return r, nil
}

var datePattern = regexp.MustCompile(`^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$`)

// validDate reports a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD) that exists.
func validDate(s string) bool {
	if !datePattern.MatchString(s) {
		return false
	}
	layout := map[int]string{4: "2006", 7: "2006-01", 10: "2006-01-02"}[len(s)]
	_, err := time.Parse(layout, s)
	return err == nil
}
