package questionnaire

import "strings"

// Text returns the item's text in lang (a BCP 47 tag such as "es" or
// "es-MX"), falling back to its base text when there is no translation.
func Text(it *Item, lang string) string { return pick(it.Text, it.TextExt, lang) }

// Prefix returns the item's prefix in lang, falling back to the base prefix.
func Prefix(it *Item, lang string) string { return pick(it.Prefix, it.PrefixExt, lang) }

// Display returns the option's display text in lang, falling back to its
// base display.
func Display(o *AnswerOption, lang string) string {
	if o == nil || o.ValueCoding == nil {
		return ""
	}
	return pick(o.ValueCoding.Display, o.ValueCoding.DisplayExt, lang)
}

// Title returns the questionnaire's title in lang, falling back to its base
// title.
func Title(q *Questionnaire, lang string) string { return pick(q.Title, q.TitleExt, lang) }

// pick chooses the translation for lang: an exact match of the tag first
// (case-insensitive), then of its primary language ("es" for "es-MX"), then
// the base text. An empty translation never replaces the base text.
func pick(base string, el *Element, lang string) string {
	if lang == "" {
		return base
	}
	tr := translations(el)
	for _, want := range []string{lang, primaryLanguage(lang)} {
		for l, content := range tr {
			if strings.EqualFold(l, want) && content != "" {
				return content
			}
		}
	}
	return base
}

func primaryLanguage(tag string) string {
	p, _, _ := strings.Cut(tag, "-")
	return p
}
