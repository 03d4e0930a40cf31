package handlers

import (
	"bytes"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// strictJSON refuses, with a 400 and a message, the JSON that encoding/json
// would read by quietly choosing one meaning: a name given twice (it keeps
// the last value, so "self_harm" could be stored from a second, hidden
// answer), a name in another case than the field's ("SELF_HARM" fills
// self_harm), and text that is not UTF-8 or escapes that are not Unicode
// (replaced by U+FFFD). It reads the first JSON value only, with jsontext
// (the syntactic layer of encoding/json/v2, whose defaults refuse exactly
// the first and third), and checks the top-level names against names, the
// exact JSON names of the target. It returns 0 when the body is for
// encoding/json to decode: also when it is empty, so that the decoder's own
// answer for that stands.
func strictJSON(body []byte, names map[string]bool) (status int, msg string) {
	dec := jsontext.NewDecoder(bytes.NewBuffer(body)) // a Buffer is parsed in place, without a copy
	for {
		tok, err := dec.ReadToken()
		if err != nil {
			return strictJSONError(body, err)
		}
		depth := dec.StackDepth()
		if depth == 0 {
			return 0, "" // the first value is complete; trailing data is the decoder's to refuse
		}
		if kind, n := dec.StackIndex(1); depth == 1 && kind == '{' && n%2 == 1 && tok.Kind() == '"' {
			if name := tok.String(); !names[name] {
				return 400, unknownFieldMessage(name, names)
			}
		}
	}
}

func strictJSONError(body []byte, err error) (int, string) {
	var serr *jsontext.SyntacticError
	if !errors.As(err, &serr) {
		return 0, "" // an empty body: the decoder says so
	}
	// The first name in the pointer is the enquiry's field; names are ours
	// or already refused, so naming it echoes nothing the person typed.
	field, inner, nested := strings.Cut(strings.TrimPrefix(string(serr.JSONPointer), "/"), "/")
	at := ""
	if field != "" {
		at = " (in " + strconv.Quote(field) + ")"
	}
	switch {
	case errors.Is(err, jsontext.ErrDuplicateName) && nested && inner != "":
		return 400, "A name inside the field " + strconv.Quote(field) + " is given more than once."
	case errors.Is(err, jsontext.ErrDuplicateName):
		return 400, "The field " + strconv.Quote(field) + " is given more than once; give each field once."
	case !utf8.Valid(body):
		return 400, "The request body is not valid UTF-8" + at + "."
	}
	return 400, "The request body is not valid JSON" + at + "."
}

// unknownFieldMessage names an unknown field and, when it differs from a
// field only in case, says that names are case-sensitive.
func unknownFieldMessage(name string, names map[string]bool) string {
	msg := "Unknown field " + strconv.Quote(name) + "."
	for known := range names {
		if strings.EqualFold(known, name) {
			msg += " Field names are case-sensitive: did you mean " + strconv.Quote(known) + "?"
			break
		}
	}
	return msg
}

// jsonNames are the JSON names encoding/json reads into a value of type t
// (a struct, or a pointer to one), embedded structs' fields included.
func jsonNames(t reflect.Type) map[string]bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	names := map[string]bool{}
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || (f.Anonymous && f.Type.Kind() == reflect.Struct) {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		names[name] = true
	}
	return names
}
