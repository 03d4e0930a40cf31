package locale

import "github.com/clinic/intake/intake"

// Crisis returns the crisis resources in lang: a default resource (one with
// a Key) in the message files' words, a clinic's own as the clinic wrote it.
// The list is a new slice; the order is kept.
func (m *Messages) Crisis(lang string, list []intake.CrisisResource) []intake.CrisisResource {
	out := make([]intake.CrisisResource, len(list))
	for i, c := range list {
		out[i] = c
		if c.Key != "" && m.Has(Source, "crisis_"+c.Key+"_name") {
			out[i].Name = m.T(lang, "crisis_"+c.Key+"_name")
			out[i].Contact = m.T(lang, "crisis_"+c.Key+"_contact")
		}
	}
	return out
}
