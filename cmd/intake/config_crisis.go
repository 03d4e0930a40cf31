package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/clinic/intake/intake"
)

// maxCrisisResources bounds CRISIS_RESOURCES: the list is shown in full on
// every page and in every confirmation, so a long one drowns the first
// entry, which matters most.
const maxCrisisResources = 8

// parseCrisisResources reads CRISIS_RESOURCES: a JSON list of
// {"name": ..., "contact": ...}, each field given, on one line of at most
// 200 characters, and nothing else; empty means the US defaults (911, 988,
// Crisis Text Line). The error names the variable and says how to fix it.
func parseCrisisResources(s string) ([]intake.CrisisResource, error) {
	if strings.TrimSpace(s) == "" {
		return intake.DefaultCrisisResources(), nil
	}
	const example = `set it to a JSON list such as [{"name": "Samaritans", "contact": "Call 116 123"}]`
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.DisallowUnknownFields()
	var list []intake.CrisisResource
	if err := dec.Decode(&list); err != nil {
		return nil, fmt.Errorf("CRISIS_RESOURCES is not a list of {\"name\", \"contact\"}: %v; %s", err, example)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("CRISIS_RESOURCES holds more than one JSON list; %s", example)
	}
	if len(list) == 0 || len(list) > maxCrisisResources {
		return nil, fmt.Errorf("CRISIS_RESOURCES lists %d resources: list 1 to %d; %s", len(list), maxCrisisResources, example)
	}
	var errs []error
	for i, r := range list {
		for _, f := range [...]struct{ name, value string }{{"name", r.Name}, {"contact", r.Contact}} {
			if strings.TrimSpace(f.value) == "" || len(f.value) > 200 || strings.ContainsAny(f.value, "\r\n") {
				errs = append(errs, fmt.Errorf("CRISIS_RESOURCES entry %d: %q must be given, on one line of at most 200 characters", i+1, f.name))
			}
		}
	}
	return list, errors.Join(errs...)
}
