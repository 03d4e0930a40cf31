package questionnaire

import "strings"

// options checks a choice item's answer options: a coding each, unique
// codes, a display, at most one weight, known extensions.
func (c *checker) options(it *Item, path string) {
	codes := map[string]bool{}
	selected := 0
	for i := range it.AnswerOption {
		o := &it.AnswerOption[i]
		op := path + ".answerOption[" + itoa(i) + "]"
		c.others(op, o.Other, []string{"id"}, map[string]string{
			"valueInteger": "only valueCoding options are supported", "valueDate": "only valueCoding options are supported",
			"valueTime": "only valueCoding options are supported", "valueString": "only valueCoding options are supported",
			"valueReference": "only valueCoding options are supported",
		})
		if o.InitialSelected != nil && *o.InitialSelected {
			selected++
		}
		if o.ValueCoding == nil {
			c.add(op+".valueCoding", "is missing")
			continue
		}
		vc := o.ValueCoding
		c.others(op+".valueCoding", vc.Other, codingTolerated, nil)
		c.elementOthers(op+".valueCoding._display", vc.DisplayExt)
		switch {
		case strings.TrimSpace(vc.Code) == "":
			c.add(op+".valueCoding.code", "is missing")
		case codes[vc.Code]:
			c.add(op+".valueCoding.code", "code %q is already an option of this item", vc.Code)
		}
		codes[vc.Code] = true
		if strings.TrimSpace(vc.Display) == "" {
			c.add(op+".valueCoding.display", "is empty: every option needs its wording")
		}
		c.weights(o, op)
		for j, e := range o.Extension {
			ep := op + ".extension[" + itoa(j) + "]"
			switch e.URL {
			case OptionExclusive:
				if e.ValueBoolean == nil {
					c.add(ep, "optionExclusive needs valueBoolean")
				}
			case OrdinalValueURL, ItemWeightURL:
			default:
				c.extensionHere(ep, e, "an answer option")
			}
		}
	}
	if selected > 1 && !it.IsRepeating() {
		c.add(path+".answerOption", "%d options are initialSelected, but the item takes one answer", selected)
	}
}

// weights checks an option's weight extensions: decimals, and one weight.
func (c *checker) weights(o *AnswerOption, op string) {
	var found []string
	check := func(exts []Extension, at string) {
		for j, e := range exts {
			if e.URL != OrdinalValueURL && e.URL != ItemWeightURL {
				continue
			}
			ep := at + ".extension[" + itoa(j) + "]"
			if e.ValueDecimal == nil {
				c.add(ep, "a weight needs valueDecimal")
				continue
			}
			if _, err := parseDecimal(string(*e.ValueDecimal)); err != nil {
				c.add(ep, "weight %s is not a number", *e.ValueDecimal)
				continue
			}
			found = append(found, string(*e.ValueDecimal))
		}
	}
	check(o.Extension, op)
	check(o.ValueCoding.Extension, op+".valueCoding")
	for _, w := range found[min(1, len(found)):] {
		a, _ := parseDecimal(found[0])
		b, _ := parseDecimal(w)
		if a.Cmp(b) != 0 {
			c.add(op, "the option has two different weights (%s and %s)", found[0], w)
		}
	}
}

func (c *checker) initials(it *Item, path string) {
	if len(it.Initial) == 0 {
		return
	}
	switch {
	case !it.Type.IsQuestion():
		c.add(path+".initial", "a %s item cannot have an initial value", it.Type)
		return
	case it.Type == TypeChoice:
		c.add(path+".initial", "a choice item marks its initial answer with answerOption.initialSelected")
		return
	case len(it.Initial) > 1 && !it.IsRepeating():
		c.add(path+".initial", "several initial values, but the item takes one answer")
	}
	for i, v := range it.Initial {
		ip := path + ".initial[" + itoa(i) + "]"
		c.others(ip, v.Other, []string{"id", "extension"}, nil)
		val, n := v.value()
		if n != 1 {
			c.add(ip, "needs exactly one value[x]")
			continue
		}
		if fe, bad := checkValue(it, val); bad {
			c.add(ip, "the initial value does not fit the item (%s)", fe.Code)
		}
	}
}

// value reads a value[x] as an answer, and how many value[x] it had.
func (v AnswerValue) value() (Value, int) {
	var val Value
	n := 0
	if v.ValueBoolean != nil {
		val, n = Bool(*v.ValueBoolean), n+1
	}
	if v.ValueInteger != nil {
		val, n = Int(*v.ValueInteger), n+1
	}
	if v.ValueDecimal != nil {
		val, n = Dec(string(*v.ValueDecimal)), n+1
	}
	if v.ValueDate != nil {
		val, n = DateOf(*v.ValueDate), n+1
	}
	if v.ValueString != nil {
		val, n = Str(*v.ValueString), n+1
	}
	if v.ValueCoding != nil {
		val, n = Code(v.ValueCoding.Code), n+1
	}
	return val, n
}

// limits checks minValue and maxValue: on a number or date item, of its
// type, the minimum not above the maximum.
func (c *checker) limits(it *Item, path string) {
	var lo, hi *Extension
	for i := range it.Extension {
		e := &it.Extension[i]
		if e.URL != MinValueURL && e.URL != MaxValueURL {
			continue
		}
		ep := path + ".extension[" + itoa(i) + "]"
		ok := map[ItemType]bool{
			TypeInteger: e.ValueInteger != nil,
			TypeDecimal: e.ValueDecimal != nil || e.ValueInteger != nil,
			TypeDate:    e.ValueDate != nil && validDate(*e.ValueDate),
		}
		v, isNumber := ok[it.Type]
		switch {
		case !isNumber:
			c.add(ep, "minValue and maxValue belong on integer, decimal and date items")
			continue
		case !v:
			c.add(ep, "a limit on a %s item needs value%s", it.Type, map[ItemType]string{TypeInteger: "Integer", TypeDecimal: "Decimal", TypeDate: "Date"}[it.Type])
			continue
		}
		if e.URL == MinValueURL {
			lo = e
		} else {
			hi = e
		}
	}
	if lo == nil || hi == nil {
		return
	}
	l, _ := it.limit(MinValueURL)
	h, _ := it.limit(MaxValueURL)
	var val Value
	switch it.Type {
	case TypeDate:
		val = DateOf(h.text)
	default:
		val = Dec(h.text)
	}
	if compareLimit(val, l) < 0 {
		c.add(path+".extension", "minValue %s is above maxValue %s", l.text, h.text)
	}
}
