package questionnaire

import (
	"math"
	"math/big"
	"slices"
	"sort"
)

// totals checks each calculatedExpression: the supported sum, on a
// read-only number item inside a group (one per group), over choice items
// whose every option has a weight; and its score bands.
func (c *checker) totals() {
	perGroup := map[string]string{}
	c.q.walk(func(it *Item, path string, parents []*Item) bool {
		for i, e := range it.Extension {
			if e.URL != CalculatedURL {
				continue
			}
			ep := path + ".extension[" + itoa(i) + "]"
			switch {
			case it.Type != TypeInteger && it.Type != TypeDecimal:
				c.add(ep, "a total belongs on an integer or decimal item, not a %s", it.Type)
				continue
			case !it.IsReadOnly():
				c.add(path+".readOnly", "a total must be readOnly: nobody types it in")
			case len(parents) == 0 || parents[len(parents)-1].Type != TypeGroup:
				c.add(ep, "a total must sit inside the group it totals")
				continue
			}
			if e.ValueExpression != nil {
				c.others(ep+".valueExpression", e.ValueExpression.Other, []string{"id", "extension", "reference"}, nil)
			}
			ids, err := parseSum(e.ValueExpression)
			if err != nil {
				c.add(ep+".valueExpression", "%v", err)
				continue
			}
			g := parents[len(parents)-1].LinkID
			if first, dup := perGroup[g]; dup {
				c.add(ep, "group %q already has a total (%s): one total per group", g, first)
			}
			perGroup[g] = path
			c.sums(it, ep+".valueExpression.expression", ids)
		}
		if len(it.bands()) > 0 {
			c.bands(it, path)
		}
		return true
	})
}

// sums checks the items a total adds up, and works out its possible range.
func (c *checker) sums(total *Item, path string, ids []string) {
	whole := true
	for _, id := range ids {
		it, ok := c.byID[id]
		switch {
		case !ok:
			c.add(path, "no item %q to add up", id)
			continue
		case id == total.LinkID:
			c.add(path, "the total adds itself up")
			continue
		case it.Type != TypeChoice:
			c.add(path, "%q is a %s item: only choice items carry weights", id, it.Type)
			continue
		}
		for i := range it.AnswerOption {
			o := &it.AnswerOption[i]
			w, ok := o.weight()
			if !ok {
				c.add(c.pathOf[id]+".answerOption["+itoa(i)+"]", "option %q has no weight, but %q adds this item up", optionCode(o), total.LinkID)
				continue
			}
			if r, err := parseDecimal(string(w)); err == nil && !r.IsInt() {
				whole = false
			}
		}
	}
	if total.Type == TypeInteger && !whole {
		c.add(path, "the weights are not whole numbers, so the total cannot be an integer item: make it decimal")
	}
}

func optionCode(o *AnswerOption) string {
	if o.ValueCoding == nil {
		return ""
	}
	return o.ValueCoding.Code
}

// bands checks the score bands of a total: on a total item, complete,
// ordered and not overlapping, and for a whole-number total covering every
// total the weights allow.
func (c *checker) bands(it *Item, path string) {
	if extension(it.Extension, CalculatedURL) == nil {
		c.add(path, "score bands belong on a total item (one with a calculatedExpression)")
		return
	}
	bands := it.bands()
	for i, e := range it.Extension {
		if e.URL != ScoreBandURL {
			continue
		}
		ep := path + ".extension[" + itoa(i) + "]"
		names := map[string]int{}
		for _, sub := range e.Extension {
			names[sub.URL]++
			ok := (sub.URL == "code" && sub.ValueCode != nil) || ((sub.URL == "min" || sub.URL == "max") && sub.ValueDecimal != nil) ||
				(sub.URL == "label" && sub.ValueString != nil)
			if !ok {
				c.add(ep, "sub-extension %q: a band has code (valueCode), min and max (valueDecimal) and label (valueString)", sub.URL)
			}
		}
		for _, n := range []string{"code", "min", "max", "label"} {
			if names[n] != 1 {
				c.add(ep, "a band needs exactly one %q", n)
			}
		}
	}
	sorted := slices.Clone(bands)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Min < sorted[j].Min })
	for i, b := range sorted {
		if b.Min > b.Max {
			c.add(path, "band %q: min %v is above max %v", b.Code, b.Min, b.Max)
		}
		if i > 0 && b.Min <= sorted[i-1].Max {
			c.add(path, "bands %q and %q overlap", sorted[i-1].Code, b.Code)
		}
	}
	if it.Type != TypeInteger || len(sorted) == 0 {
		return
	}
	lo, hi, ok := c.totalRange(it)
	if !ok {
		return
	}
	for v := lo; v <= hi && v-lo < 10000; v++ {
		covered := false
		for _, b := range sorted {
			covered = covered || (float64(v) >= b.Min && float64(v) <= b.Max)
		}
		if !covered {
			c.add(path, "no band holds a total of %d (totals run from %d to %d)", v, lo, hi)
			return
		}
	}
}

// totalRange is the lowest and highest total the weights allow.
func (c *checker) totalRange(it *Item) (lo, hi int64, ok bool) {
	ids, err := parseSum(extension(it.Extension, CalculatedURL).ValueExpression)
	if err != nil {
		return 0, 0, false
	}
	sumLo, sumHi := new(big.Rat), new(big.Rat)
	for _, id := range ids {
		q := c.byID[id]
		if q == nil || q.Type != TypeChoice {
			return 0, 0, false
		}
		var min, max, total *big.Rat
		total = new(big.Rat)
		for i := range q.AnswerOption {
			w, ok := q.AnswerOption[i].weight()
			if !ok {
				return 0, 0, false
			}
			r, err := parseDecimal(string(w))
			if err != nil {
				return 0, 0, false
			}
			if min == nil || r.Cmp(min) < 0 {
				min = r
			}
			if max == nil || r.Cmp(max) > 0 {
				max = r
			}
			if r.Sign() > 0 {
				total.Add(total, r)
			}
		}
		if min == nil {
			continue
		}
		if q.IsRepeating() {
			max = total // every option ticked
		}
		sumLo.Add(sumLo, min)
		sumHi.Add(sumHi, max)
	}
	l, _ := sumLo.Float64()
	h, _ := sumHi.Float64()
	return int64(math.Ceil(l)), int64(math.Floor(h)), true
}
