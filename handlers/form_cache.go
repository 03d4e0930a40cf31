package handlers

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"

	"github.com/google/uuid"

	"github.com/clinic/intake/intake"
)

// blankForm is the empty enquiry form rendered once per form version and
// language: executing the form template costs milliseconds (reflection on
// every field), while the blank page differs between visitors only in its
// fresh submission_id and its fresh anti-spam token. The page is kept as the
// bytes around those two.
type blankForm struct {
	head, mid, tail []byte
}

// blankForms are the blank form of the live form version in each language,
// rendered on first use and again when another version goes live.
type blankForms struct {
	render func(f *intake.Form, lang string) (blankForm, error)
	mu     sync.Mutex
	formID int64
	byLang map[string]blankForm
}

// get returns the blank form f in lang.
func (b *blankForms) get(f *intake.Form, lang string) (blankForm, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.byLang == nil || b.formID != f.ID {
		b.formID, b.byLang = f.ID, map[string]blankForm{}
	}
	if p, ok := b.byLang[lang]; ok {
		return p, nil
	}
	p, err := b.render(f, lang)
	if err != nil {
		return blankForm{}, err
	}
	b.byLang[lang] = p
	return p, nil
}

// Markers stand in for the submission id and the form token while the
// blank form is rendered; like the real values (a UUID, base64url) they need
// no HTML escaping.
const (
	idMarker    = "00000000-0000-0000-0000-00000000cafe"
	tokenMarker = "FORMTOKENMARKERc4fe"
)

// renderBlankForm renders the blank form f in lang, as GET / shows it.
func (s *server) renderBlankForm(f *intake.Form, lang string) (blankForm, error) {
	var buf bytes.Buffer
	p := s.formPageIn(lang, s.languageLinks(lang, http.MethodGet, &url.URL{Path: "/"}), f, nil, nil, idMarker)
	p.FormToken = tokenMarker
	if err := s.pages[lang]["form"].ExecuteTemplate(&buf, "layout", p); err != nil {
		return blankForm{}, fmt.Errorf("render blank form: %w", err)
	}
	head, rest, ok := bytes.Cut(buf.Bytes(), []byte(idMarker))
	if !ok || bytes.Contains(rest, []byte(idMarker)) {
		return blankForm{}, errors.New("render blank form: the form must show the submission id exactly once")
	}
	mid, tail, ok := bytes.Cut(rest, []byte(tokenMarker))
	if !ok || bytes.Contains(tail, []byte(tokenMarker)) || bytes.Contains(head, []byte(tokenMarker)) {
		return blankForm{}, errors.New("render blank form: the form must carry the form token exactly once, after the submission id")
	}
	return blankForm{head: head, mid: mid, tail: tail}, nil
}

// serve writes the blank form with a fresh submission id and form token.
func (f blankForm) serve(w http.ResponseWriter, token string) {
	id := uuid.NewString()
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(f.head)+len(id)+len(f.mid)+len(token)+len(f.tail)))
	w.WriteHeader(http.StatusOK)
	// One write of the whole page: net/http then hands it to the socket in
	// one call, where five writes through its 4 KiB buffer took a system
	// call per 4 KiB (a quarter of the page's CPU in the profile).
	buf := pagePool.Get().(*[]byte)
	page := append(append(append(append(append((*buf)[:0], f.head...), id...), f.mid...), token...), f.tail...)
	w.Write(page) //nolint:errcheck // the client went away
	*buf = page
	pagePool.Put(buf)
}

// pagePool holds the buffers the blank form is assembled in.
var pagePool = sync.Pool{New: func() any { return new([]byte) }}
