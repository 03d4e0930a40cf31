package seal

import (
	"bytes"
	"testing"
)

func TestBoxRotation(t *testing.T) {
	oldKey, newKey := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	old, _ := New(oldKey, nil)
	sealed, id, err := old.Seal([]byte("secret"), []byte("row-1"))
	if err != nil {
		t.Fatal(err)
	}
	rotating, _ := New(newKey, oldKey)
	if got, err := rotating.Open(sealed, id, []byte("row-1")); err != nil || string(got) != "secret" {
		t.Fatalf("value sealed under the previous key does not open during a rotation: %v", err)
	}
	if _, err := rotating.Open(sealed, id, []byte("row-2")); err == nil {
		t.Errorf("a sealed value opened under another row's binding")
	}
	fresh, _ := New(newKey, nil)
	if _, err := fresh.Open(sealed, id, []byte("row-1")); err == nil {
		t.Errorf("a value sealed under a key no longer configured opened")
	}
	if !bytes.Equal(old.EmailHash(" Sam@Example.org "), old.EmailHash("sam@example.org")) {
		t.Errorf("email hash is not normalised")
	}
	if _, err := ParseKey("c2hvcnQ="); err == nil {
		t.Errorf("a short key was accepted")
	}
}
