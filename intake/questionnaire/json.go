package questionnaire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Parse reads a Questionnaire from JSON. It refuses what cannot be read
// faithfully: invalid JSON, data after the resource, a key given twice in one
// object (JSON readers disagree on which one wins), a resourceType other than
// Questionnaire, and values of the wrong JSON type, each with its line. It
// keeps elements it does not know, so that Marshal writes them back; Check
// reports those that matter. Parse does not check the form: call Check.
func Parse(data []byte) (*Questionnaire, error) {
	if err := checkSyntax(data); err != nil {
		return nil, err
	}
	var head struct {
		ResourceType any `json:"resourceType"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("parse questionnaire: %s", describeJSONError(data, err))
	}
	if head.ResourceType != "Questionnaire" {
		return nil, fmt.Errorf("parse questionnaire: resourceType is %s, want \"Questionnaire\"", jsonText(head.ResourceType))
	}
	if err := checkTypes(data); err != nil {
		return nil, err
	}
	var q Questionnaire
	if err := json.Unmarshal(data, &q); err != nil {
		return nil, fmt.Errorf("parse questionnaire: %s", describeJSONError(data, err))
	}
	return &q, nil
}

// Marshal writes the questionnaire as indented JSON (two spaces), known
// elements in FHIR's order and the others after them, sorted by name.
func (q *Questionnaire) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(q, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("marshal questionnaire: %w", err)
	}
	return append(b, '\n'), nil
}

// checkTypes reports every element whose JSON type does not fit, by its
// path: encoding/json would stop at the first, and inside an item it can only
// say "item.required", not which item.
func checkTypes(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return fmt.Errorf("parse questionnaire: %s", describeJSONError(data, err))
	}
	var bad []string
	typeCheck(doc, reflect.TypeFor[Questionnaire](), "", &bad)
	if len(bad) > 0 {
		return fmt.Errorf("parse questionnaire: %s", strings.Join(bad, "; "))
	}
	return nil
}

func typeCheck(v any, t reflect.Type, path string, bad *[]string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	fail := func() {
		*bad = append(*bad, fmt.Sprintf("%s must be %s, not %s", path, kindWord(t), jsonKind(v)))
	}
	if v == nil {
		return // null: FHIR forbids it, encoding/json leaves the field empty; Check finds what is missing
	}
	switch {
	case t == reflect.TypeFor[json.Number]():
		if _, ok := v.(json.Number); !ok {
			fail()
		}
	case t.Kind() == reflect.String:
		if _, ok := v.(string); !ok {
			fail()
		}
	case t.Kind() == reflect.Bool:
		if _, ok := v.(bool); !ok {
			fail()
		}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		n, ok := v.(json.Number)
		if _, err := strconv.ParseInt(string(n), 10, 64); !ok || err != nil {
			fail()
		}
	case t.Kind() == reflect.Slice:
		list, ok := v.([]any)
		if !ok {
			fail()
			return
		}
		for i, e := range list {
			typeCheck(e, t.Elem(), path+"["+itoa(i)+"]", bad)
		}
	case t.Kind() == reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			fail()
			return
		}
		for _, f := range jsonFields(t) {
			if e, ok := obj[f.name]; ok {
				p := f.name
				if path != "" {
					p = path + "." + f.name
				}
				typeCheck(e, f.typ, p, bad)
			}
		}
	}
}

func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "text"
	case bool:
		return "true or false"
	case json.Number:
		return "a number"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return "null"
}

func jsonText(v any) string {
	if v == nil {
		return "missing"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// checkSyntax reports invalid JSON, trailing data and duplicate keys, with
// the path of each duplicate.
func checkSyntax(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var dups []string
	if err := walkJSON(dec, "", &dups); err != nil {
		return fmt.Errorf("parse questionnaire: %s", describeJSONError(data, err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("parse questionnaire: line %d: unexpected data after the questionnaire", lineOf(data, dec.InputOffset()))
	}
	if len(dups) > 0 {
		return fmt.Errorf("parse questionnaire: %s", strings.Join(dups, "; "))
	}
	return nil
}

func walkJSON(dec *json.Decoder, path string, dups *[]string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	switch d {
	case '{':
		seen := map[string]bool{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return err
			}
			k, _ := kt.(string)
			p := k
			if path != "" {
				p = path + "." + k
			}
			if seen[k] {
				*dups = append(*dups, p+": given twice")
			}
			seen[k] = true
			if err := walkJSON(dec, p, dups); err != nil {
				return err
			}
		}
	case '[':
		for i := 0; dec.More(); i++ {
			if err := walkJSON(dec, path+"["+itoa(i)+"]", dups); err != nil {
				return err
			}
		}
	}
	_, err = dec.Token() // the closing delimiter
	return err
}

// describeJSONError turns a decoding error into words a clinic's editor can
// act on: the line, and for a wrong type the element and what it must be.
func describeJSONError(data []byte, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("line %d: invalid JSON: %v", lineOf(data, syn.Offset), syn)
	case errors.As(err, &typ):
		return fmt.Sprintf("line %d: %s must be %s, not a JSON %s", lineOf(data, typ.Offset), typ.Field, kindWord(typ.Type), typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "invalid JSON: the document ends too early"
	}
	return err.Error()
}

func kindWord(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == reflect.TypeFor[json.Number]():
		return "a number"
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() == reflect.String:
		return "text"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return "a whole number"
	case t.Kind() == reflect.Slice:
		return "a list"
	case t.Kind() == reflect.Struct, t.Kind() == reflect.Map:
		return "an object"
	}
	return t.String()
}

func lineOf(data []byte, offset int64) int {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	return bytes.Count(data[:offset], []byte{'\n'}) + 1
}

// The types below keep unknown elements: each decodes its known fields,
// then collects the keys that no field names (exactly: encoding/json matches
// names ignoring case, FHIR does not) into Other; Marshal writes Other after
// the known fields.

type (
	plainQuestionnaire Questionnaire
	plainItem          Item
	plainEnableWhen    EnableWhen
	plainAnswerOption  AnswerOption
	plainCoding        Coding
	plainInitial       Initial
	plainElement       Element
	plainExtension     Extension
	plainExpression    Expression
)

// UnmarshalJSON reads the resource, keeping unknown elements in Other.
func (q *Questionnaire) UnmarshalJSON(b []byte) error {
	if err := decodeKeeping(b, (*plainQuestionnaire)(q), &q.Other); err != nil {
		return err
	}
	q.idx = newIndex(q)
	return nil
}

// MarshalJSON writes the resource with its unknown elements.
func (q Questionnaire) MarshalJSON() ([]byte, error) {
	return encodeKeeping(plainQuestionnaire(q), q.Other)
}

// UnmarshalJSON reads the item, keeping unknown elements in Other.
func (it *Item) UnmarshalJSON(b []byte) error {
	return decodeKeeping(b, (*plainItem)(it), &it.Other)
}

// MarshalJSON writes the item with its unknown elements.
func (it Item) MarshalJSON() ([]byte, error) { return encodeKeeping(plainItem(it), it.Other) }

// UnmarshalJSON reads the condition, keeping unknown elements in Other.
func (e *EnableWhen) UnmarshalJSON(b []byte) error {
	return decodeKeeping(b, (*plainEnableWhen)(e), &e.Other)
}

// MarshalJSON writes the condition with its unknown elements.
func (e EnableWhen) MarshalJSON() ([]byte, error) {
	return encodeKeeping(plainEnableWhen(e), e.Other)
}

// UnmarshalJSON reads the option, keeping unknown elements in Other.
func (o *AnswerOption) UnmarshalJSON(b []byte) error {
	return decodeKeeping(b, (*plainAnswerOption)(o), &o.Other)
}

// MarshalJSON writes the option with its unknown elements.
func (o AnswerOption) MarshalJSON() ([]byte, error) {
	return encodeKeeping(plainAnswerOption(o), o.Other)
}

// UnmarshalJSON reads the coding, keeping unknown elements in Other.
func (c *Coding) UnmarshalJSON(b []byte) error {
	return decodeKeeping(b, (*plainCoding)(c), &c.Other)
}

// MarshalJSON writes the coding with its unknown elements.
func (c Coding) MarshalJSON() ([]byte, error) { return encodeKeeping(plainCoding(c), c.Other) }

// UnmarshalJSON reads the initial value, keeping unknown elements in Other.
func (v *Initial) UnmarshalJSON(b []byte) error {
	return decodeKeeping(b, (*plainInitial)(v), &v.Other)
}

// MarshalJSON writes the initial value with its unknown elements.
func (v Initial) MarshalJSON() ([]byte, error) { return encodeKeeping(plainInitial(v), v.Other) }

// UnmarshalJSON reads the element, keeping unknown keys in Other.
func (e *Element) UnmarshalJSON(b []byte) error {
	return decodeKeeping(b, (*plainElement)(e), &e.Other)
}

// MarshalJSON writes the element with its unknown keys.
func (e Element) MarshalJSON() ([]byte, error) { return encodeKeeping(plainElement(e), e.Other) }

// UnmarshalJSON reads the extension, keeping other value[x] types in Other.
func (e *Extension) UnmarshalJSON(b []byte) error {
	return decodeKeeping(b, (*plainExtension)(e), &e.Other)
}

// MarshalJSON writes the extension with its other elements.
func (e Extension) MarshalJSON() ([]byte, error) {
	return encodeKeeping(plainExtension(e), e.Other)
}

// UnmarshalJSON reads the expression, keeping unknown elements in Other.
func (e *Expression) UnmarshalJSON(b []byte) error {
	return decodeKeeping(b, (*plainExpression)(e), &e.Other)
}

// MarshalJSON writes the expression with its unknown elements.
func (e Expression) MarshalJSON() ([]byte, error) {
	return encodeKeeping(plainExpression(e), e.Other)
}

func decodeKeeping(b []byte, v any, other *map[string]json.RawMessage) error {
	if err := json.Unmarshal(b, v); err != nil {
		return err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	known := jsonNames(reflect.TypeOf(v).Elem())
	*other = nil
	for k, raw := range all {
		if slices.Contains(known, k) {
			continue
		}
		if *other == nil {
			*other = map[string]json.RawMessage{}
		}
		(*other)[k] = raw
	}
	return nil
}

func encodeKeeping(v any, other map[string]json.RawMessage) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(other) == 0 {
		return b, err
	}
	known := jsonNames(reflect.TypeOf(v))
	keys := make([]string, 0, len(other))
	for k := range other {
		if !slices.Contains(known, k) { // a field set in Go wins over a stale copy
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var buf bytes.Buffer
	buf.Write(b[:len(b)-1]) // without the closing brace
	for _, k := range keys {
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		buf.Write(kb)
		buf.WriteByte(':')
		if err := json.Compact(&buf, other[k]); err != nil {
			return nil, fmt.Errorf("element %s: %w", k, err)
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// jsonNames lists the JSON names of a struct's fields, those of embedded
// structs included.
func jsonNames(t reflect.Type) []string {
	var names []string
	for _, f := range jsonFields(t) {
		names = append(names, f.name)
	}
	return names
}

type jsonField struct {
	name string
	typ  reflect.Type
}

// jsonFields lists a struct's fields as encoding/json sees them: by JSON
// name, with the fields of an untagged embedded struct promoted.
func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			out = append(out, jsonFields(f.Type)...)
		case name != "" && name != "-":
			out = append(out, jsonField{name, f.Type})
		}
	}
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }
