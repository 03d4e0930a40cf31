package questionnaire

import (
	"strings"
	"testing"
)

// es is a translation into Spanish, for the "_text" or "_display" of a test.
func es(content string) string {
	return `{"extension": [{"url": "` + TranslationURL + `", "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "` + content + `"}]}]}`
}

// formES wraps items into a questionnaire that declares Spanish.
func formES(items string) string {
	return `{"resourceType": "Questionnaire", "url": "https://example.org/Questionnaire/t", "version": "1", "status": "active",
		"language": "en", "extension": [{"url": "` + TranslationLanguageURL + `", "valueCode": "es"}],
		"title": "T", "_title": ` + es("T") + `, "item": [` + items + `]}`
}

const (
	yesNo  = `"answerOption": [{"valueCoding": {"system": "s", "code": "yes", "display": "Yes"}}, {"valueCoding": {"system": "s", "code": "no", "display": "No"}}]`
	scored = `"answerOption": [
		{"extension": [{"url": "` + OrdinalValueURL + `", "valueDecimal": 0}], "valueCoding": {"system": "s", "code": "a", "display": "A"}},
		{"extension": [{"url": "` + OrdinalValueURL + `", "valueDecimal": 2}], "valueCoding": {"system": "s", "code": "b", "display": "B"}}]`
)

// total is a total item summing expr, with more extensions (bands) after
// the calculatedExpression.
func total(expr, more string) string {
	return totalNamed("t", expr, more)
}

func totalNamed(linkID, expr, more string) string {
	return `{"linkId": "` + linkID + `", "text": "Total", "type": "integer", "readOnly": true, "extension": [{"url": "` + CalculatedURL + `",
		"valueExpression": {"language": "text/fhirpath", "expression": "` + expr + `"}}` + more + `]}`
}

const sumS1S2 = `%resource.repeat(item).where(linkId in ('s1' | 's2')).answer.value.weight().sum()`

func scoredGroup(totalItems ...string) string {
	return `{"linkId": "g", "text": "G", "type": "group", "item": [
		{"linkId": "s1", "text": "S1", "type": "choice", ` + scored + `},
		{"linkId": "s2", "text": "S2", "type": "choice", ` + scored + `}, ` + strings.Join(totalItems, ", ") + `]}`
}

func band(code string, lo, hi string) string {
	return `{"url": "` + ScoreBandURL + `", "extension": [{"url": "code", "valueCode": "` + code + `"}, {"url": "min", "valueDecimal": ` + lo +
		`}, {"url": "max", "valueDecimal": ` + hi + `}, {"url": "label", "valueString": "` + code + `"}]}`
}

func TestCheck(t *testing.T) {
	q := `{"linkId": "q", "text": "Q", "type": "choice", ` + yesNo + `}`
	tests := []struct {
		name, doc, path, message string
	}{
		// The resource.
		{"no url", `{"resourceType": "Questionnaire", "version": "1", "status": "active", "language": "en", "item": [` + q + `]}`, "url", "canonical URL"},
		{"no version", `{"resourceType": "Questionnaire", "url": "urn:x", "status": "active", "language": "en", "item": [` + q + `]}`, "version", "is missing"},
		{"bad status", `{"resourceType": "Questionnaire", "url": "urn:x", "version": "1", "status": "live", "language": "en", "item": [` + q + `]}`, "status", "must be one of"},
		{"no language", `{"resourceType": "Questionnaire", "url": "urn:x", "version": "1", "status": "active", "item": [` + q + `]}`, "language", "such as \"en\""},
		{"no items", form(``), "item", "no items"},
		{"unknown top-level element", strings.Replace(form(q), `"version"`, `"garbage": 1, "version"`, 1), "garbage", `unknown element "garbage"`},
		{"modifierExtension", strings.Replace(form(q), `"version"`, `"modifierExtension": [{"url": "x"}], "version"`, 1), "modifierExtension", "not supported"},
		{"language declared twice", strings.Replace(formES(q), `"valueCode": "es"}]`, `"valueCode": "es"}, {"url": "`+TranslationLanguageURL+`", "valueCode": "es"}]`, 1), "extension[1]", "declared twice"},
		{"unknown own extension", strings.Replace(form(q), `"version"`, `"extension": [{"url": "`+OwnExtensionBase+`typo"}], "version"`, 1), "extension[0]", "unknown extension"},

		// Items.
		{"duplicate linkId", form(q + `, ` + q), "item[1].linkId", `linkId "q" is already used by item[0]`},
		{"missing linkId", form(`{"text": "Q", "type": "boolean"}`), "item[0].linkId", "is missing"},
		{"unknown type", form(`{"linkId": "q", "text": "Q", "type": "yesno"}`), "item[0].type", `unknown type "yesno"`},
		{"unsupported FHIR type", form(`{"linkId": "q", "text": "Q", "type": "open-choice"}`), "item[0].type", `type "open-choice" is not supported`},
		{"missing type", form(`{"linkId": "q", "text": "Q"}`), "item[0].type", "is missing"},
		{"choice without options", form(`{"linkId": "q", "text": "Q", "type": "choice"}`), "item[0].answerOption", "needs its answer options"},
		{"options on a non-choice", form(`{"linkId": "q", "text": "Q", "type": "string", ` + yesNo + `}`), "item[0].answerOption", "only choice items"},
		{"question without text", form(`{"linkId": "q", "type": "boolean"}`), "item[0].text", "needs its wording"},
		{"empty group", form(`{"linkId": "g", "text": "G", "type": "group"}`), "item[0].item", "must hold items"},
		{"display holding items", form(`{"linkId": "d", "text": "D", "type": "display", "item": [` + q + `]}`), "item[0].item", "cannot hold items"},
		{"required display", form(`{"linkId": "d", "text": "D", "type": "display", "required": true}`), "item[0].required", "cannot be required"},
		{"question inside a question", form(`{"linkId": "p", "text": "P", "type": "boolean", "item": [` + q + `]}`), "item[0].item[0]", "only display items"},
		{"repeating string", form(`{"linkId": "q", "text": "Q", "type": "string", "repeats": true}`), "item[0].repeats", "only choice items may repeat"},
		{"repeating group", form(`{"linkId": "g", "text": "G", "type": "group", "repeats": true, "item": [` + q + `]}`), "item[0].repeats", "not supported"},
		{"maxLength on an integer", form(`{"linkId": "q", "text": "Q", "type": "integer", "maxLength": 3}`), "item[0].maxLength", "only string and text"},
		{"maxLength 0", form(`{"linkId": "q", "text": "Q", "type": "string", "maxLength": 0}`), "item[0].maxLength", "at least 1"},
		{"required and read-only", form(`{"linkId": "q", "text": "Q", "type": "string", "required": true, "readOnly": true}`), "item[0].readOnly", "nobody could answer"},
		{"answerValueSet", form(`{"linkId": "q", "text": "Q", "type": "choice", "answerValueSet": "http://x", ` + yesNo + `}`), "item[0].answerValueSet", "with answerOption"},
		{"unknown item element", form(`{"linkId": "q", "text": "Q", "type": "boolean", "hint": "x"}`), "item[0].hint", `unknown element "hint"`},
		{"unknown element in _text", form(`{"linkId": "q", "text": "Q", "_text": {"lang": "es"}, "type": "boolean"}`), "item[0]._text.lang", "unknown element"},

		// Options.
		{"option without coding", form(`{"linkId": "q", "text": "Q", "type": "choice", "answerOption": [{"valueString": "yes"}]}`), "item[0].answerOption[0].valueCoding", "is missing"},
		{"option of another type", form(`{"linkId": "q", "text": "Q", "type": "choice", "answerOption": [{"valueString": "yes"}]}`), "item[0].answerOption[0].valueString", "only valueCoding"},
		{"option without code", form(`{"linkId": "q", "text": "Q", "type": "choice", "answerOption": [{"valueCoding": {"display": "Yes"}}]}`), "item[0].answerOption[0].valueCoding.code", "is missing"},
		{"duplicate code", form(`{"linkId": "q", "text": "Q", "type": "choice", "answerOption": [{"valueCoding": {"code": "a", "display": "A"}}, {"valueCoding": {"code": "a", "display": "B"}}]}`), "item[0].answerOption[1].valueCoding.code", `code "a" is already an option`},
		{"option without display", form(`{"linkId": "q", "text": "Q", "type": "choice", "answerOption": [{"valueCoding": {"code": "a"}}]}`), "item[0].answerOption[0].valueCoding.display", "needs its wording"},
		{"two initialSelected", form(`{"linkId": "q", "text": "Q", "type": "choice", "answerOption": [{"valueCoding": {"code": "a", "display": "A"}, "initialSelected": true}, {"valueCoding": {"code": "b", "display": "B"}, "initialSelected": true}]}`), "item[0].answerOption", "initialSelected"},
		{"two different weights", form(`{"linkId": "q", "text": "Q", "type": "choice", "answerOption": [{"extension": [{"url": "` + OrdinalValueURL + `", "valueDecimal": 1}], "valueCoding": {"code": "a", "display": "A", "extension": [{"url": "` + ItemWeightURL + `", "valueDecimal": 2}]}}]}`), "item[0].answerOption[0]", "two different weights"},
		{"weight not a decimal", form(`{"linkId": "q", "text": "Q", "type": "choice", "answerOption": [{"extension": [{"url": "` + OrdinalValueURL + `", "valueInteger": 1}], "valueCoding": {"code": "a", "display": "A"}}]}`), "item[0].answerOption[0].extension[0]", "needs valueDecimal"},
		{"weight on the item", form(`{"linkId": "q", "text": "Q", "type": "boolean", "extension": [{"url": "` + OrdinalValueURL + `", "valueDecimal": 1}]}`), "item[0].extension[0]", "belongs on an answerOption"},

		// Initial values and limits.
		{"initial on a choice", form(`{"linkId": "q", "text": "Q", "type": "choice", ` + yesNo + `, "initial": [{"valueCoding": {"code": "yes"}}]}`), "item[0].initial", "initialSelected"},
		{"initial of the wrong type", form(`{"linkId": "q", "text": "Q", "type": "integer", "initial": [{"valueString": "1"}]}`), "item[0].initial[0]", "does not fit"},
		{"initial on a group", form(`{"linkId": "g", "text": "G", "type": "group", "initial": [{"valueBoolean": true}], "item": [` + q + `]}`), "item[0].initial", "cannot have an initial value"},
		{"initial out of range", form(`{"linkId": "q", "text": "Q", "type": "integer", "extension": [{"url": "` + MaxValueURL + `", "valueInteger": 5}], "initial": [{"valueInteger": 9}]}`), "item[0].initial[0]", "out_of_range"},
		{"minValue on a string", form(`{"linkId": "q", "text": "Q", "type": "string", "extension": [{"url": "` + MinValueURL + `", "valueInteger": 1}]}`), "item[0].extension[0]", "belong on integer"},
		{"minValue of the wrong type", form(`{"linkId": "q", "text": "Q", "type": "integer", "extension": [{"url": "` + MinValueURL + `", "valueDate": "2000-01-01"}]}`), "item[0].extension[0]", "needs valueInteger"},
		{"minValue above maxValue", form(`{"linkId": "q", "text": "Q", "type": "integer", "extension": [{"url": "` + MinValueURL + `", "valueInteger": 9}, {"url": "` + MaxValueURL + `", "valueInteger": 5}]}`), "item[0].extension", "minValue 9 is above maxValue 5"},

		// enableWhen.
		{"unknown question", form(q + `, {"linkId": "f", "text": "F", "type": "display", "enableWhen": [{"question": "foo", "operator": "exists", "answerBoolean": true}]}`), "item[1].enableWhen[0].question", `no item "foo"`},
		{"unknown question, nested", form(`{"linkId": "g", "text": "G", "type": "group", "item": [{"linkId": "f", "text": "F", "type": "display", "enableWhen": [{"question": "foo", "operator": "exists", "answerBoolean": true}]}]}`), "item[0].item[0].enableWhen[0].question", `no item "foo"`},
		{"refers to itself", form(`{"linkId": "q", "text": "Q", "type": "boolean", "enableWhen": [{"question": "q", "operator": "exists", "answerBoolean": true}]}`), "item[0].enableWhen[0].question", "refers to itself"},
		{"a cycle of two", form(`{"linkId": "a", "text": "A", "type": "boolean", "enableWhen": [{"question": "b", "operator": "exists", "answerBoolean": true}]},
			{"linkId": "b", "text": "B", "type": "boolean", "enableWhen": [{"question": "a", "operator": "exists", "answerBoolean": true}]}`), "item[1].enableWhen[0].question", "cycle: a → b → a"},
		{"a cycle through a group", form(`{"linkId": "g", "text": "G", "type": "group", "enableWhen": [{"question": "in", "operator": "=", "answerBoolean": true}], "item": [{"linkId": "in", "text": "In", "type": "boolean"}]}`), "item[0].enableWhen[0].question", "cycle: g → in → g"},
		{"a group as the question", form(`{"linkId": "g", "text": "G", "type": "group", "item": [` + q + `]}, {"linkId": "f", "text": "F", "type": "display", "enableWhen": [{"question": "g", "operator": "exists", "answerBoolean": true}]}`), "item[1].enableWhen[0].question", `"g" is a group`},
		{"unknown operator", form(q + `, {"linkId": "f", "text": "F", "type": "display", "enableWhen": [{"question": "q", "operator": "==", "answerCoding": {"code": "yes"}}]}`), "item[1].enableWhen[0].operator", `unknown operator "=="`},
		{"an order on a choice", form(q + `, {"linkId": "f", "text": "F", "type": "display", "enableWhen": [{"question": "q", "operator": ">", "answerCoding": {"code": "yes"}}]}`), "item[1].enableWhen[0].operator", "does not apply"},
		{"an order on a boolean", form(`{"linkId": "b", "text": "B", "type": "boolean"}, {"linkId": "f", "text": "F", "type": "display", "enableWhen": [{"question": "b", "operator": "<=", "answerBoolean": true}]}`), "item[1].enableWhen[0].operator", "does not apply"},
		{"answer type mismatch", form(`{"linkId": "n", "text": "N", "type": "integer"}, {"linkId": "f", "text": "F", "type": "display", "enableWhen": [{"question": "n", "operator": "=", "answerString": "5"}]}`), "item[1].enableWhen[0].answerString", "compare it with answerInteger"},
		{"decimal tested with an integer", form(`{"linkId": "n", "text": "N", "type": "decimal"}, {"linkId": "f", "text": "F", "type": "display", "enableWhen": [{"question": "n", "operator": ">", "answerInteger": 5}]}`), "item[1].enableWhen[0].answerInteger", "compare it with answerDecimal"},
		{"no answer to compare", form(q + `, {"linkId": "f", "text": "F", "type": "display", "enableWhen": [{"question": "q", "operator": "="}]}`), "item[1].enableWhen[0]", "needs an answer[x]"},
		{"two answers to compare", form(q + `, {"linkId": "f", "text": "F", "type": "display", "enableWhen": [{"question": "q", "operator": "=", "answerCoding": {"code": "yes"}, "answerString": "yes"}]}`), "item[1].enableWhen[0]", "several answer[x]"},
		{"exists without a boolean", form(q + `, {"linkId": "f", "text": "F", "type": "display", "enableWhen": [{"question": "q", "operator": "exists", "answerCoding": {"code": "yes"}}]}`), "item[1].enableWhen[0].answerCoding", "exists takes answerBoolean"},
		{"a code that is no option", form(q + `, {"linkId": "f", "text": "F", "type": "display", "enableWhen": [{"question": "q", "operator": "=", "answerCoding": {"code": "maybe"}}]}`), "item[1].enableWhen[0].answerCoding.code", `has no option "maybe"`},
		{"an impossible date", form(`{"linkId": "d", "text": "D", "type": "date"}, {"linkId": "f", "text": "F", "type": "display", "enableWhen": [{"question": "d", "operator": ">", "answerDate": "2021-02-30"}]}`), "item[1].enableWhen[0].answerDate", "is not a date"},
		{"unsupported answer type", form(q + `, {"linkId": "f", "text": "F", "type": "display", "enableWhen": [{"question": "q", "operator": "=", "answerCoding": {"code": "yes"}, "answerQuantity": {"value": 1}}]}`), "item[1].enableWhen[0].answerQuantity", "not supported"},
		{"two conditions without enableBehavior", form(q + `, {"linkId": "f", "text": "F", "type": "display", "enableWhen": [{"question": "q", "operator": "exists", "answerBoolean": true}, {"question": "q", "operator": "=", "answerCoding": {"code": "yes"}}]}`), "item[1].enableBehavior", "is required"},
		{"bad enableBehavior", form(q + `, {"linkId": "f", "text": "F", "type": "display", "enableBehavior": "some", "enableWhen": [{"question": "q", "operator": "exists", "answerBoolean": true}]}`), "item[1].enableBehavior", `not "some"`},

		// Items that can never be enabled.
		{"contradicting conditions", form(q + `, {"linkId": "f", "text": "F", "type": "string", "required": true, "enableBehavior": "all", "enableWhen": [{"question": "q", "operator": "=", "answerCoding": {"code": "yes"}}, {"question": "q", "operator": "=", "answerCoding": {"code": "no"}}]}`), "item[1]", `required item "f" can never be enabled: no single answer to "q"`},
		{"answered and unanswered", form(q + `, {"linkId": "f", "text": "F", "type": "string", "required": true, "enableBehavior": "all", "enableWhen": [{"question": "q", "operator": "exists", "answerBoolean": false}, {"question": "q", "operator": "=", "answerCoding": {"code": "no"}}]}`), "item[1]", "both answered and unanswered"},
		{"outside the limits", form(`{"linkId": "n", "text": "N", "type": "integer", "extension": [{"url": "` + MaxValueURL + `", "valueInteger": 300}]}, {"linkId": "f", "text": "F", "type": "string", "required": true, "enableWhen": [{"question": "n", "operator": ">", "answerInteger": 300}]}`), "item[1]", "outside its minValue/maxValue"},
		{"an empty range", form(`{"linkId": "n", "text": "N", "type": "integer"}, {"linkId": "f", "text": "F", "type": "string", "enableBehavior": "all", "enableWhen": [{"question": "n", "operator": ">", "answerInteger": 10}, {"question": "n", "operator": "<", "answerInteger": 5}]}`), "item[1]", `item "f" can never be enabled`},
		{"depends on an unreachable item", form(q + `,
			{"linkId": "f", "text": "F", "type": "choice", ` + yesNo + `, "enableBehavior": "all", "enableWhen": [{"question": "q", "operator": "=", "answerCoding": {"code": "yes"}}, {"question": "q", "operator": "=", "answerCoding": {"code": "no"}}]},
			{"linkId": "h", "text": "H", "type": "string", "required": true, "enableWhen": [{"question": "f", "operator": "=", "answerCoding": {"code": "yes"}}]}`), "item[2]", `never answered because it can never be enabled`},

		// Translations.
		{"untranslated text", formES(`{"linkId": "q", "text": "Q", "type": "boolean"}`), "item[0]._text", `no translation into "es"`},
		{"untranslated option", formES(`{"linkId": "q", "text": "Q", "_text": ` + es("P") + `, "type": "choice", "answerOption": [{"valueCoding": {"code": "a", "display": "A"}}]}`), "item[0].answerOption[0].valueCoding._display", `no translation into "es"`},
		{"untranslated title", strings.Replace(formES(`{"linkId": "q", "text": "Q", "_text": `+es("P")+`, "type": "boolean"}`), `"_title"`, `"_x"`, 1), "_title", `no translation into "es"`},
		{"undeclared language", form(`{"linkId": "q", "text": "Q", "_text": ` + es("P") + `, "type": "boolean"}`), "item[0]._text.extension[0]", `which the form does not declare`},
		{"translation into the form's language", formES(`{"linkId": "q", "text": "Q", "_text": {"extension": [{"url": "` + TranslationURL + `", "extension": [{"url": "lang", "valueCode": "en"}, {"url": "content", "valueString": "Q"}]}]}, "type": "boolean"}`), "item[0]._text.extension[0]", "the form's own language"},
		{"empty translation", formES(`{"linkId": "q", "text": "Q", "_text": ` + es(" ") + `, "type": "boolean"}`), "item[0]._text.extension[0]", "translation is empty"},
		{"two translations", formES(`{"linkId": "q", "text": "Q", "_text": {"extension": [
			{"url": "` + TranslationURL + `", "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "P"}]},
			{"url": "` + TranslationURL + `", "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "R"}]}]}, "type": "boolean"}`), "item[0]._text.extension[1]", `a second translation into "es"`},

		// Totals and bands.
		{"unsupported expression", form(scoredGroup(total(`%s1 + %s2`, ""))), "item[0].item[2].extension[0].valueExpression", "is not supported: only the sum of weights"},
		{"another expression language", form(strings.Replace(scoredGroup(total(sumS1S2, "")), "text/fhirpath", "text/cql", 1)), "item[0].item[2].extension[0].valueExpression", "only text/fhirpath"},
		{"total not read-only", form(strings.Replace(scoredGroup(total(sumS1S2, "")), `"readOnly": true`, `"readOnly": false`, 1)), "item[0].item[2].readOnly", "must be readOnly"},
		{"total on a choice", form(`{"linkId": "g", "text": "G", "type": "group", "item": [{"linkId": "t", "text": "T", "type": "choice", ` + scored + `, "extension": [{"url": "` + CalculatedURL + `", "valueExpression": {"language": "text/fhirpath", "expression": "` + sumS1S2 + `"}}]}]}`), "item[0].item[0].extension[0]", "integer or decimal item"},
		{"total outside a group", form(total(`%resource.repeat(item).where(linkId in ('x')).answer.value.weight().sum()`, "")), "item[0].extension[0]", "inside the group"},
		{"total of an unknown item", form(scoredGroup(total(`%resource.repeat(item).where(linkId in ('s1' | 'nope')).answer.value.weight().sum()`, ""))), "item[0].item[2].extension[0].valueExpression.expression", `no item "nope"`},
		{"total of a non-choice", form(`{"linkId": "g", "text": "G", "type": "group", "item": [{"linkId": "s1", "text": "S1", "type": "integer"}, ` + total(`%resource.repeat(item).where(linkId in ('s1')).answer.value.weight().sum()`, "") + `]}`), "item[0].item[1].extension[0].valueExpression.expression", "only choice items carry weights"},
		{"option without a weight", form(`{"linkId": "g", "text": "G", "type": "group", "item": [{"linkId": "s1", "text": "S1", "type": "choice", ` + yesNo + `}, ` + total(`%resource.repeat(item).where(linkId in ('s1')).answer.value.weight().sum()`, "") + `]}`), "item[0].item[0].answerOption[0]", "has no weight"},
		{"integer total of decimal weights", form(strings.Replace(scoredGroup(total(sumS1S2, "")), `"valueDecimal": 2}`, `"valueDecimal": 2.5}`, 1)), "item[0].item[2].extension[0].valueExpression.expression", "make it decimal"},
		{"two totals in a group", form(scoredGroup(total(sumS1S2, ""), totalNamed("t2", sumS1S2, ""))), "item[0].item[3].extension[0]", "already has a total"},
		{"bands overlap", form(scoredGroup(total(sumS1S2, `, `+band("low", "0", "2")+`, `+band("high", "2", "4")))), "item[0].item[2]", `bands "low" and "high" overlap`},
		{"bands leave a gap", form(scoredGroup(total(sumS1S2, `, `+band("low", "0", "1")+`, `+band("high", "3", "4")))), "item[0].item[2]", "no band holds a total of 2"},
		{"band min above max", form(scoredGroup(total(sumS1S2, `, `+band("all", "4", "0")))), "item[0].item[2]", "min 4 is above max 0"},
		{"band without a label", form(scoredGroup(total(sumS1S2, `, {"url": "`+ScoreBandURL+`", "extension": [{"url": "code", "valueCode": "a"}, {"url": "min", "valueDecimal": 0}, {"url": "max", "valueDecimal": 4}]}`))), "item[0].item[2].extension[1]", `exactly one "label"`},
		{"a condition on a total", form(scoredGroup(total(sumS1S2, "")) + `, {"linkId": "f", "text": "F", "type": "display", "enableWhen": [{"question": "t", "operator": ">", "answerInteger": 2}]}`), "item[1].enableWhen[0].question", "conditions on totals are not supported"},
		{"band on a plain item", form(`{"linkId": "n", "text": "N", "type": "integer", "extension": [` + band("a", "0", "1") + `]}`), "item[0]", "belong on a total item"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse([]byte(tt.doc))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			ps := q.Check()
			for _, p := range ps {
				if p.Path == tt.path && strings.Contains(p.Message, tt.message) {
					return
				}
			}
			t.Errorf("want a problem at %s saying %q; got:\n%s", tt.path, tt.message, problemsText(ps))
		})
	}
}

// TestCheckCleanForms: the building blocks of TestCheck are clean on their
// own, so each case above fails for the reason it names.
func TestCheckCleanForms(t *testing.T) {
	for name, doc := range map[string]string{
		"choice":                 form(`{"linkId": "q", "text": "Q", "type": "choice", ` + yesNo + `}`),
		"scored group":           form(scoredGroup(total(sumS1S2, `, `+band("low", "0", "1")+`, `+band("high", "2", "4")))),
		"translated":             formES(`{"linkId": "q", "text": "Q", "_text": ` + es("P") + `, "type": "choice", "answerOption": [{"valueCoding": {"code": "a", "display": "A", "_display": ` + es("A") + `}}]}`),
		"tolerated elements":     strings.Replace(form(`{"linkId": "q", "text": "Q", "type": "boolean", "code": [{"code": "x"}], "_linkId": {"id": "a"}}`), `"version"`, `"publisher": "Clinic", "copyright": "CC0", "version"`, 1),
		"foreign extension":      strings.Replace(form(`{"linkId": "q", "text": "Q", "type": "boolean", "extension": [{"url": "http://example.org/x", "valueUri": "http://y"}]}`), `"version"`, `"extension": [{"url": "http://example.org/z", "valueMarkdown": "m"}], "version"`, 1),
		"reachable via any":      form(`{"linkId": "n", "text": "N", "type": "integer"}, {"linkId": "f", "text": "F", "type": "string", "required": true, "enableBehavior": "any", "enableWhen": [{"question": "n", "operator": ">", "answerInteger": 10}, {"question": "n", "operator": "<", "answerInteger": 5}]}`),
		"a != on an unreachable": form(`{"linkId": "b", "text": "B", "type": "boolean", "readOnly": true}, {"linkId": "f", "text": "F", "type": "string", "enableWhen": [{"question": "b", "operator": "!=", "answerBoolean": true}]}`),
	} {
		if ps := mustParse(t, doc).Check(); len(ps) > 0 {
			t.Errorf("%s: want no problems, got:\n%s", name, problemsText(ps))
		}
	}
}
