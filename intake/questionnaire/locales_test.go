package questionnaire

import (
	"bufio"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The public pages' message files (handlers/locales, go-i18n TOML) carry a
// message for each of Validate's error codes, in English and Spanish, and
// the two files hold the same IDs. The IDs are read line by line: the files
// are flat (key = "text", and [id] tables for plurals).
func TestLocalesCoverErrorCodes(t *testing.T) {
	ids := map[string][]string{}
	for _, lang := range []string{"en", "es"} {
		f, err := os.Open("../../handlers/locales/" + lang + ".toml")
		if os.IsNotExist(err) {
			t.Skip("handlers/locales has moved")
		}
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		key := regexp.MustCompile(`^([a-z0-9_]+) = "`)
		table := regexp.MustCompile(`^\[([a-z0-9_]+)\]$`)
		inTable := false
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if m := table.FindStringSubmatch(line); m != nil {
				ids[lang] = append(ids[lang], m[1])
				inTable = true
			} else if m := key.FindStringSubmatch(line); m != nil && !inTable {
				ids[lang] = append(ids[lang], m[1])
			}
		}
		slices.Sort(ids[lang])
	}
	if !slices.Equal(ids["en"], ids["es"]) {
		t.Errorf("en.toml and es.toml hold different IDs:\nen %v\nes %v", ids["en"], ids["es"])
	}
	for _, c := range Codes() {
		if !slices.Contains(ids["en"], "questionnaire_"+string(c)) {
			t.Errorf("no message questionnaire_%s", c)
		}
	}
	if len(ids["en"]) < 150 {
		t.Errorf("only %d messages read: the file format changed?", len(ids["en"]))
	}
}
