package questionnaire

import "math/big"

// Total is one scored total of the questionnaire: a read-only item carrying
// the SDC calculatedExpression sum, inside the group it totals.
type Total struct {
	Group string   // linkId of the group that holds the total item: the name rules use
	Item  string   // linkId of the total item itself
	Sums  []string // linkIds of the items whose weights it adds up
	Bands []Band   // the bands of totals, from ScoreBandURL, in file order
}

// Totals lists the questionnaire's totals in document order. Totals whose
// expression Check refuses are left out.
func (q *Questionnaire) Totals() []Total {
	var out []Total
	q.walk(func(it *Item, _ string, parents []*Item) bool {
		e := extension(it.Extension, CalculatedURL)
		if e == nil || len(parents) == 0 {
			return true
		}
		ids, err := parseSum(e.ValueExpression)
		if err != nil {
			return true
		}
		out = append(out, Total{Group: parents[len(parents)-1].LinkID, Item: it.LinkID, Sums: ids, Bands: it.bands()})
		return true
	})
	return out
}

// Scores are the weighted results of one submission.
type Scores struct {
	// Totals holds each group total by the group's linkId, for a group that
	// is enabled and has at least one answered item among those it sums (an
	// unanswered instrument has no total, rather than a total of 0).
	Totals map[string]float64
	// Weights holds, by linkId, the weight of the answer to each enabled,
	// answered item whose chosen option carries one (the sum of the weights
	// for several answers).
	Weights map[string]float64
}

// Scores computes item weights and group totals from the answers. Answers
// to disabled items do not count. Sums are exact (decimal weights are added
// as fractions, then rounded once), so a total compares equal to the
// threshold written in a rule file.
func (q *Questionnaire) Scores(a Answers) Scores {
	totals, weights := q.exactScores(a)
	s := Scores{Totals: map[string]float64{}, Weights: map[string]float64{}}
	for id, r := range weights {
		s.Weights[id], _ = r.Float64()
	}
	for _, t := range q.Totals() {
		if r, ok := totals[t.Item]; ok {
			s.Totals[t.Group], _ = r.Float64()
		}
	}
	return s
}

// exactScores returns the totals by total item linkId and the weights by
// item linkId, as exact fractions.
func (q *Questionnaire) exactScores(a Answers) (totals, weights map[string]*big.Rat) {
	en := q.Enabled(a)
	weights = map[string]*big.Rat{}
	answered := make(map[string]bool, len(a))
	q.walk(func(it *Item, _ string, _ []*Item) bool {
		if it.Type != TypeChoice || !en[it.LinkID] {
			return true
		}
		vals := a.present(it.LinkID)
		answered[it.LinkID] = len(vals) > 0
		for _, v := range vals {
			o := it.Option(v.s)
			if o == nil {
				continue
			}
			w, ok := o.weight()
			if !ok {
				continue
			}
			r, err := parseDecimal(string(w))
			if err != nil {
				continue
			}
			if weights[it.LinkID] == nil {
				weights[it.LinkID] = new(big.Rat)
			}
			weights[it.LinkID].Add(weights[it.LinkID], r)
		}
		return true
	})
	totals = map[string]*big.Rat{}
	for _, t := range q.Totals() {
		if !en[t.Item] {
			continue
		}
		sum, some := new(big.Rat), false
		for _, id := range t.Sums {
			some = some || answered[id]
			if r := weights[id]; r != nil {
				sum.Add(sum, r)
			}
		}
		if some {
			totals[t.Item] = sum
		}
	}
	return totals, weights
}

// Band returns the band of the group's total that holds the value, and
// false when the group has no total or no band holds it.
func (q *Questionnaire) Band(group string, total float64) (Band, bool) {
	for _, t := range q.Totals() {
		if t.Group != group {
			continue
		}
		for _, b := range t.Bands {
			if total >= b.Min && total <= b.Max {
				return b, true
			}
		}
	}
	return Band{}, false
}
