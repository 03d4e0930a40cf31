package handlers

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestAnswerMessagesKeepTheirWords: with the answers validated by the
// questionnaire, the API's 422 says about each question what the form
// said before (the message files' error_<linkId>_<code>, error_<code>_topic
// with the question's topic), a value of the wrong JSON type names the type
// it needs, a question with no message of its own gets the questionnaire's,
// and all of it reads in Spanish for a Spanish request.
func TestAnswerMessagesKeepTheirWords(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	post := func(over map[string]any, lang string) map[string]string {
		t.Helper()
		e := validJSON(over)
		e["form_token"] = ts.token(t)
		for k, v := range over {
			if v == nil {
				delete(e, k)
			}
		}
		b, _ := json.Marshal(e)
		w := ts.do("POST", "/api/v1/enquiries?lang="+lang, "application/json", string(b), "")
		var body struct{ Errors map[string]string }
		if w.Code != 422 || json.Unmarshal(w.Body.Bytes(), &body) != nil {
			t.Fatalf("%v: %d %s, want 422", over, w.Code, w.Body.String())
		}
		return body.Errors
	}
	for _, c := range []struct {
		over        map[string]any
		field, want string
	}{
		{map[string]any{"hypertension": nil}, "hypertension", "Please tell us whether your blood pressure is under control."},
		{map[string]any{"self_harm": nil}, "self_harm", "Please answer the question about thoughts of being better off dead or of hurting yourself. You can choose \"not sure\"."},
		{map[string]any{"adult": "maybe"}, "adult", "Please answer yes or no to whether you are 18 or older."},
		{map[string]any{"heart_conditions": []string{"arrhythmia", "gout"}}, "heart_conditions", "Please choose one of the answers listed for the question about heart conditions."},
		{map[string]any{"medications": []string{"maoi", "maoi"}}, "medications", "Please choose each answer about medicines only once."},
		{map[string]any{"hypertension": "controlled", "bp_systolic": 301, "bp_diastolic": 80}, "bp_systolic", "The top number must be between 50 and 300."},
		{map[string]any{"hypertension": "controlled", "bp_systolic": 120}, "bp_diastolic", "Please give both numbers of the reading, or leave both empty."},
		{map[string]any{"hypertension": "controlled", "bp_systolic": "high", "bp_diastolic": 80}, "bp_systolic", "This answer has the wrong type: expected a whole number."},
		{map[string]any{"adult": true}, "adult", "This answer has the wrong type: expected text."},
		{map[string]any{"name": 12}, "name", "This answer has the wrong type: expected text."},
		{map[string]any{"message": strings.Repeat("m", 5001)}, "message", "Your message must be 5,000 characters or fewer."},
		{map[string]any{"message": "hi \x1b[31m"}, "message", "Your message contains hidden special characters. Please retype it rather than pasting it."},
	} {
		if got := post(c.over, "en")[c.field]; got != c.want {
			t.Errorf("%v: %s = %q, want %q", c.over, c.field, got, c.want)
		}
	}
	if got := post(map[string]any{"hypertension": nil}, "es")["hypertension"]; got == "" || strings.Contains(got, "Please") {
		t.Errorf("in Spanish: %q", got)
	}
	if got := post(map[string]any{"heart_conditions": []string{"none", "chest_pain"}}, "en")["heart_conditions"]; !strings.Contains(got, "on its own") {
		t.Errorf("none with another answer: %q", got)
	}

	// The HTML form says a reading that is not a number in the form's words.
	v := formValues(validJSON(map[string]any{"hypertension": "controlled", "bp_systolic": "12o", "bp_diastolic": "80"}))
	v.Set("form_token", ts.token(t))
	w := ts.do("POST", "/enquiries", "application/x-www-form-urlencoded", v.Encode(), "")
	if w.Code != 422 || !strings.Contains(w.Body.String(), "Please enter the top number as a whole number, like 120.") ||
		!strings.Contains(w.Body.String(), `value="12o"`) {
		t.Errorf("a reading that is not a number on the form: %d", w.Code)
	}
}
