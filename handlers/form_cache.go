package handlers

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/google/uuid"
)

// blankForm is the empty enquiry form rendered once at start: executing the
// form template costs milliseconds (reflection on every field), while the
// blank page differs between visitors only in its fresh submission_id. The
// page is kept as the bytes before and after that id.
type blankForm struct {
	head, tail []byte
}

// idMarker stands in for the submission id while the blank form is rendered;
// like a UUID it needs no HTML escaping.
const idMarker = "00000000-0000-0000-0000-00000000cafe"

func (s *server) renderBlankForm() (blankForm, error) {
	var buf bytes.Buffer
	if err := s.pages["form"].ExecuteTemplate(&buf, "layout", s.newFormPage(nil, nil, idMarker)); err != nil {
		return blankForm{}, fmt.Errorf("render blank form: %w", err)
	}
	head, tail, ok := bytes.Cut(buf.Bytes(), []byte(idMarker))
	if !ok || bytes.Contains(tail, []byte(idMarker)) {
		return blankForm{}, errors.New("render blank form: the form must show the submission id exactly once")
	}
	return blankForm{head: head, tail: tail}, nil
}

// serve writes the blank form with a fresh submission id.
func (f blankForm) serve(w http.ResponseWriter) {
	id := uuid.NewString()
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(f.head)+len(id)+len(f.tail)))
	w.WriteHeader(http.StatusOK)
	w.Write(f.head)     //nolint:errcheck // the client went away
	w.Write([]byte(id)) //nolint:errcheck // the client went away
	w.Write(f.tail)     //nolint:errcheck // the client went away
}
