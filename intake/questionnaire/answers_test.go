package questionnaire

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
)

// TestPresentAndCompact: blank text and empty codes are left out, and the
// lists returned are the caller's own: changing them changes no answer.
func TestPresentAndCompact(t *testing.T) {
	t.Parallel()
	a := Answers{
		"all":   {Code("x"), Code("y")},
		"some":  {Str("  "), Code("x"), Code(""), Code("y")},
		"none":  {Str(" \t")},
		"empty": {},
	}
	want := []Value{Code("x"), Code("y")}
	for _, id := range []string{"all", "some"} {
		if got := a.Present(id); !slices.Equal(got, want) {
			t.Errorf("Present(%s) = %v, want %v", id, got, want)
		}
		if got := a.present(id); !slices.Equal(got, want) {
			t.Errorf("present(%s) = %v, want %v", id, got, want)
		}
	}
	for _, id := range []string{"none", "empty", "absent"} {
		if got := a.Present(id); got != nil {
			t.Errorf("Present(%s) = %#v, want nil", id, got)
		}
		if got := a.present(id); got != nil {
			t.Errorf("present(%s) = %#v, want nil", id, got)
		}
	}
	c := a.Compact()
	if len(c) != 2 || !slices.Equal(c["all"], want) || !slices.Equal(c["some"], want) {
		t.Errorf("Compact = %v", c)
	}
	a.Present("all")[0] = Code("changed")
	c["all"][1] = Code("changed")
	if !slices.Equal(a["all"], want) {
		t.Errorf("answers changed through Present or Compact: %v", a["all"])
	}
}

// TestJSONValueAsTheDecoderReads: an answer in the JSON API's body is read
// as a decoder with UseNumber reads its first value, for every question
// type: numbers kept as written, strings unescaped, anything else of the
// wrong type or unreadable kept as Invalid.
func TestJSONValueAsTheDecoderReads(t *testing.T) {
	t.Parallel()
	raws := []string{`true`, `false`, ` true `, `"true"`, `12`, `-0`, `12.50`, `1e3`, `"12"`, `99999999999`,
		`"2024-02-29"`, `"none"`, `"a\u00e9\n\"b"`, `""`, `null`, `{}`, `[1]`, `tru`, `"unterminated`, `12 34`,
		`"x" "y"`, `--1`, `01`, "\t\"spaced\"\n"}
	for _, typ := range []ItemType{TypeBoolean, TypeInteger, TypeDecimal, TypeString, TypeText, TypeDate, TypeChoice} {
		for _, raw := range raws {
			if got, want := jsonValue(typ, json.RawMessage(raw)), decoderValue(typ, json.RawMessage(raw)); got != want {
				t.Errorf("%s %q: got %#v, want %#v", typ, raw, got, want)
			}
		}
	}
}

// decoderValue is jsonValue as it was: a decoder for each value.
func decoderValue(t ItemType, raw json.RawMessage) Value {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return Invalid(string(raw))
	}
	return typedValue(t, v, raw)
}
