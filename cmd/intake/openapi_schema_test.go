package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// apiDoc is the part of an OpenAPI 3.1 document the contract test reads.
type apiDoc struct {
	OpenAPI string `json:"openapi"`
	Paths   map[string]map[string]struct {
		RequestBody struct {
			Content map[string]struct {
				Schema schema `json:"schema"`
			} `json:"content"`
		} `json:"requestBody"`
		Responses map[string]struct {
			Headers map[string]any `json:"headers"`
			Content map[string]struct {
				Schema schema `json:"schema"`
			} `json:"content"`
		} `json:"responses"`
	} `json:"paths"`
	Components struct {
		Schemas map[string]schema `json:"schemas"`
	} `json:"components"`
}

// schema is the subset of JSON Schema the document uses.
type schema struct {
	Ref                  string            `json:"$ref"`
	Type                 string            `json:"type"`
	Enum                 []any             `json:"enum"`
	Const                any               `json:"const"`
	Required             []string          `json:"required"`
	Properties           map[string]schema `json:"properties"`
	AdditionalProperties json.RawMessage   `json:"additionalProperties"`
	PropertyNames        *schema           `json:"propertyNames"`
	Items                *schema           `json:"items"`
}

func (d *apiDoc) resolve(s schema) schema {
	for s.Ref != "" {
		s = d.Components.Schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")]
	}
	return s
}

// check returns every way v departs from s, with JSON-pointer-ish paths.
func (d *apiDoc) check(path string, s schema, v any) []string {
	s = d.resolve(s)
	var out []string
	bad := func(format string, a ...any) { out = append(out, path+": "+fmt.Sprintf(format, a...)) }
	if len(s.Enum) > 0 && !slices.Contains(s.Enum, v) {
		bad("%v is not one of %v", v, s.Enum)
	}
	if s.Const != nil && s.Const != v {
		bad("%v is not %v", v, s.Const)
	}
	switch s.Type {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			bad("not an object: %v", v)
			return out
		}
		for _, r := range s.Required {
			if _, ok := m[r]; !ok {
				bad("required key %q missing", r)
			}
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if s.PropertyNames != nil {
				out = append(out, d.check(path+"/"+k+"(name)", *s.PropertyNames, k)...)
			}
			if p, ok := s.Properties[k]; ok {
				out = append(out, d.check(path+"/"+k, p, m[k])...)
				continue
			}
			switch ap := strings.TrimSpace(string(s.AdditionalProperties)); {
			case ap == "false":
				bad("undocumented key %q", k)
			case strings.HasPrefix(ap, "{"):
				var sub schema
				json.Unmarshal([]byte(ap), &sub) //nolint:errcheck // the document parsed already
				out = append(out, d.check(path+"/"+k, sub, m[k])...)
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			bad("not an array: %v", v)
			return out
		}
		for i, x := range a {
			if s.Items != nil {
				out = append(out, d.check(fmt.Sprintf("%s/%d", path, i), *s.Items, x)...)
			}
		}
	case "string":
		if _, ok := v.(string); !ok {
			bad("not a string: %v", v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("not a boolean: %v", v)
		}
	case "integer":
		if f, ok := v.(float64); !ok || f != float64(int64(f)) {
			bad("not an integer: %v", v)
		}
	}
	return out
}
