package questionnaire

import (
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
