package questionnaire

import (
	"fmt"
	"slices"
	"strings"
)

// translations checks that every text is translated into each declared
// language, and that no translation is into an undeclared one.
func (c *checker) translations() {
	langs := c.q.Languages()
	base, declared := langs[0], langs[1:]
	check := func(path, text string, el *Element) {
		c.translation(path, text, el, base, declared)
	}
	check("_title", c.q.Title, c.q.TitleExt)
	c.q.walk(func(it *Item, path string, _ []*Item) bool {
		check(path+"._text", it.Text, it.TextExt)
		if it.PrefixExt != nil {
			check(path+"._prefix", it.Prefix, it.PrefixExt)
		}
		for i := range it.AnswerOption {
			if vc := it.AnswerOption[i].ValueCoding; vc != nil {
				check(path+".answerOption["+itoa(i)+"].valueCoding._display", vc.Display, vc.DisplayExt)
			}
		}
		for i, e := range it.Extension {
			if e.URL != ScoreBandURL {
				continue
			}
			for j, sub := range e.Extension {
				if sub.URL == "label" && sub.ValueString != nil {
					check(fmt.Sprintf("%s.extension[%d].extension[%d]._valueString", path, i, j), *sub.ValueString, sub.ValueStringExt)
				}
			}
		}
		return true
	})
}

func (c *checker) translation(path, text string, el *Element, base string, declared []string) {
	seen := map[string]bool{}
	if el != nil {
		for i, e := range el.Extension {
			ep := path + ".extension[" + itoa(i) + "]"
			if e.URL != TranslationURL {
				continue
			}
			var lang, content *string
			for _, sub := range e.Extension {
				switch sub.URL {
				case "lang":
					lang = sub.ValueCode
				case "content":
					content = sub.ValueString
				default:
					c.add(ep, "a translation has only lang (valueCode) and content (valueString), not %q", sub.URL)
				}
			}
			switch {
			case lang == nil:
				c.add(ep, "a translation needs lang (valueCode)")
				continue
			case content == nil || strings.TrimSpace(*content) == "":
				c.add(ep, "the %q translation is empty", *lang)
			}
			l := strings.ToLower(*lang)
			switch {
			case seen[l]:
				c.add(ep, "a second translation into %q", *lang)
			case strings.EqualFold(*lang, base):
				c.add(ep, "a translation into %q, the form's own language", *lang)
			case !slices.ContainsFunc(declared, func(d string) bool { return strings.EqualFold(d, *lang) }):
				c.add(ep, "a translation into %q, which the form does not declare (declared: %s)", *lang, strings.Join(declared, ", "))
			}
			seen[l] = true
		}
	}
	if strings.TrimSpace(text) == "" {
		return
	}
	for _, d := range declared {
		if !seen[strings.ToLower(d)] {
			c.add(path, "no translation into %q", d)
		}
	}
}
