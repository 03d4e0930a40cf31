package intaketest

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"

	"github.com/google/uuid"

	"github.com/clinic/intake/intake"
)

// Enquiry returns a complete, valid, routine enquiry with a fresh submission
// id: an adult who consents to both, answers "no" or "none" to every
// screening question and prefers email. Tests change only what they are
// about. (intake's own in-package tests cannot import this package, which
// imports intake; they keep a routine enquiry of their own.)
func Enquiry() intake.Enquiry {
	return intake.Enquiry{
		SubmissionID:         uuid.NewString(),
		Name:                 "Robin Routine",
		Email:                "robin.routine@example.org",
		Phone:                "+15555550100",
		PreferredContact:     "email",
		Adult:                "yes",
		Message:              "I would like to know more about treatment.",
		ConsentPrivacy:       true,
		ConsentContact:       true,
		Hypertension:         "no",
		HeartConditions:      []string{"none"},
		Stroke:               "no",
		AneurysmOrBrainBleed: "no",
		KetamineReaction:     "no",
		Psychosis:            "no",
		ManiaCurrent:         "no",
		SubstanceUse:         "no",
		Pregnant:             "no",
		OtherConditions:      []string{"none"},
		Medications:          []string{"none"},
		SelfHarm:             "none",
	}
}

// EnquiryFields returns Enquiry in the contract's field names, as the JSON
// API takes it (strings, booleans, lists of strings, numbers), with over
// applied on top: a nil value removes the field.
func EnquiryFields(over map[string]any) map[string]any {
	e := Enquiry()
	out := map[string]any{}
	v := reflect.ValueOf(e)
	for i := range v.NumField() {
		name, opts, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		f := v.Field(i)
		switch {
		case opts == "omitempty" && f.IsZero():
		case f.Kind() == reflect.Pointer:
			out[name] = f.Elem().Interface()
		default:
			out[name] = f.Interface()
		}
	}
	for k, x := range over {
		if x == nil {
			delete(out, k)
			continue
		}
		out[k] = x
	}
	return out
}

// FormValues turns fields in EnquiryFields' shape into what a browser posts
// from the HTML form: a ticked box is "yes" (an unticked one is left out), a
// list is the field repeated.
func FormValues(fields map[string]any) url.Values {
	v := url.Values{}
	for k, x := range fields {
		switch x := x.(type) {
		case bool:
			if x {
				v.Set(k, "yes")
			}
		case []string:
			v[k] = x
		default:
			v.Set(k, fmt.Sprint(x))
		}
	}
	return v
}
