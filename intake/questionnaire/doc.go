// Package questionnaire reads, checks and evaluates the clinic's screening
// form: one FHIR R4 Questionnaire (JSON), the answers one person gave to it,
// and the FHIR R4 QuestionnaireResponse built from them.
//
// It is pure: it imports the standard library only (no database, HTTP, clock
// or project package), so the service, the CLI (`intake form check`) and the
// tests can all use it, and the layer rules of the repository hold.
//
// A Questionnaire is read once and then only read from: its items are
// indexed when it is parsed (document order, paths, linkIds; index.go), so
// a caller must not change items in place. Replacing Item outright is
// noticed and the index rebuilt.
//
// # What it understands
//
// Items of type group, display, boolean, choice (answerOption with
// valueCoding), string, text, integer, decimal and date; linkId, text, prefix,
// required, repeats, readOnly, maxLength, initial, enableWhen (all seven
// operators, answerBoolean/Decimal/Integer/Date/String/Coding) and
// enableBehavior. Anything else in a file is kept, so that it round-trips,
// and Check says which of it is unknown or unsupported.
//
// Extensions it reads:
//
//   - translations: http://hl7.org/fhir/StructureDefinition/translation on
//     _title, _text, _prefix and valueCoding._display (sub-extensions lang and
//     content);
//
//   - the languages a form is translated into: TranslationLanguageURL
//     (valueCode, one per language) on the Questionnaire. Languages are
//     declared, not inferred from the translations found, so that a language
//     missing everywhere, or a stray "sp" on one text, is caught by Check;
//
//   - weights: http://hl7.org/fhir/StructureDefinition/ordinalValue (R4) on
//     an answerOption or on its valueCoding, or the R5 itemWeight
//     http://hl7.org/fhir/StructureDefinition/itemWeight, each valueDecimal;
//
//   - exclusive options ("none of these"):
//     http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive;
//
//   - limits: http://hl7.org/fhir/StructureDefinition/minValue and maxValue
//     (valueInteger, valueDecimal or valueDate, matching the item's type);
//
//   - totals: the SDC calculatedExpression
//     http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression
//     on a read-only integer or decimal item inside a group. Only one
//     expression form is accepted, the sum of the weights of named items,
//     which any FHIRPath engine with SDC's weight() function (fhirpath.js,
//     used by LHC-Forms and Smart Forms) evaluates as written:
//
//     %resource.repeat(item).where(linkId in ('a' | 'b' | 'c')).answer.value.weight().sum()
//
//     Any other expression is refused by Check. The total belongs to the
//     group that holds the item (one total per group), so rules name the group;
//
//   - score bands: ScoreBandURL (sub-extensions code, min, max, label) on a
//     total item, so the bands of an instrument are data, not code;
//
//   - answer both or neither: AllOrNoneURL (valueBoolean) on a group, for the
//     two numbers of a blood-pressure reading.
//
// # What it leaves to its callers
//
// The clinic's own rules (rules.json: which answers raise which flag), the
// safety items no form may lose (the self-harm question, the adult question,
// the blood-pressure reading) and the fixed contact and consent block belong
// to package intake, which uses this one. Check knows nothing of them.
//
// # Why its own types
//
// github.com/samply/golang-fhir-models/fhir-models v0.3.2 was tried and does
// not fit: its value[x] fields (enableWhen.answer[x], answerOption.value[x],
// initial.value[x]) are plain values without omitempty, so one enableWhen
// with answerCoding is written back with answerBoolean false, answerInteger
// 0, answerDate "" and seven more — invalid FHIR that also changes meaning —
// and it has no _text or _display fields, so every translation is dropped on
// read. The types here are small, keep every element they do not know, and
// write back what they read.
package questionnaire
