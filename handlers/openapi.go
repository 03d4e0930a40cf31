package handlers

import (
	_ "embed"
	"net/http"
)

// openAPIDoc is the OpenAPI 3.1 description of the JSON API. It is a
// checked-in file, not generated: cmd/intake's openapi test drives the real
// handler to every documented status and compares the answers with it.
//
//go:embed openapi/openapi.json
var openAPIDoc []byte

// OpenAPIDocument returns the JSON API's OpenAPI 3.1 document.
func OpenAPIDocument() []byte { return append([]byte(nil), openAPIDoc...) }

// handleOpenAPI serves GET /api/v1/openapi.json.
func (s *server) handleOpenAPI() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(openAPIDoc) //nolint:errcheck // the client went away
	})
}
