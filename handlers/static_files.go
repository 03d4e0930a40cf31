package handlers

import (
	"io/fs"
)

// filesOnly serves the files of an fs.FS and nothing else: a directory is
// reported as missing, so http.FileServerFS answers 404 for /static/ instead
// of listing what is there (which tells a visitor nothing they need and an
// attacker the layout and versions of the assets).
type filesOnly struct{ fs.FS }

// Open opens name, or fails with fs.ErrNotExist when it is a directory.
func (f filesOnly) Open(name string) (fs.File, error) {
	file, err := f.FS.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := file.Stat()
	if err != nil || st.IsDir() {
		file.Close() //nolint:errcheck // read-only
		return nil, fs.ErrNotExist
	}
	return file, nil
}
