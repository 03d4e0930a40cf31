package handlers

import (
	_ "embed"
	"net/http"
)

//go:embed static/embed.js
var embedJS []byte

// handleEmbedJS serves /embed.js, the one-line way to put the form on
// another site:
//
//	<script src="https://intake.example.org/embed.js" async></script>
//
// The script replaces its own tag with an iframe of the form that resizes
// itself to the form's height. It lives at the root, not under /static/, so
// the snippet stays short and the address stays stable.
func (s *server) handleEmbedJS() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/javascript; charset=utf-8")
		// Sites cache it; a short life lets a fix reach them the same day.
		w.Header().Set("Cache-Control", "public, max-age=3600")
		// Loaded by another site's page: say so, or CORP-strict sites refuse it.
		w.Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
		w.Write(embedJS) //nolint:errcheck // the client went away
	})
}
