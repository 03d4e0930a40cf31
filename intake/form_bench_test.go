package intake_test

import (
	"strings"
	"testing"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/questionnaire"
)

// benchEnquiries are valid enquiries to the default form in the mix of
// cmd/bench's generator: routine, review (an unsure answer, two
// medications), hold (a reading) and urgent (a crisis reading), one with a
// long message.
func benchEnquiries() []intake.Enquiry {
	routine := intaketest.Enquiry()
	unsure := intaketest.Enquiry()
	intaketest.Answer(&unsure, "hypertension", "unsure")
	meds := intaketest.Enquiry()
	intaketest.Answer(&meds, "medications", "benzodiazepines", "opioids")
	hold := intaketest.Enquiry()
	intaketest.Answer(&hold, "hypertension", "controlled")
	hold.Answers.Set("bp_systolic", questionnaire.Int(165))
	hold.Answers.Set("bp_diastolic", questionnaire.Int(95))
	urgent := intaketest.Enquiry()
	intaketest.Answer(&urgent, "hypertension", "uncontrolled")
	urgent.Answers.Set("bp_systolic", questionnaire.Int(190))
	urgent.Answers.Set("bp_diastolic", questionnaire.Int(125))
	long := intaketest.Enquiry()
	long.Answers.Set("message", questionnaire.Str(strings.Repeat("I tried two SSRIs and one SNRI; the side effects were hard. ", 40)))
	return []intake.Enquiry{routine, unsure, meds, hold, urgent, long}
}

// TestBenchEnquiriesValid keeps the benchmarks honest: every enquiry they
// time is valid, so they measure the accepting path.
func TestBenchEnquiriesValid(t *testing.T) {
	t.Parallel()
	f, v := intake.DefaultForm(), intake.NewValidator()
	for i, e := range benchEnquiries() {
		if err := v.Validate(f, &e, "en"); err != nil {
			t.Errorf("enquiry %d: %v", i, err)
		}
	}
}

func BenchmarkAccept(b *testing.B) {
	f, es := intake.DefaultForm(), benchEnquiries()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, problems := f.Accept(es[i%len(es)].Answers, "en"); problems != nil {
			b.Fatal(problems)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	f, v, es := intake.DefaultForm(), intake.NewValidator(), benchEnquiries()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		e := es[i%len(es)]
		if err := v.Validate(f, &e, "en"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScreen(b *testing.B) {
	f, es := intake.DefaultForm(), benchEnquiries()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		f.Screen(es[i%len(es)].Answers)
	}
}
