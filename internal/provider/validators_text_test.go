package provider

import (
	"strings"
	"testing"
)

// Names: at most maxNameLength characters (not bytes), no control and no
// bidirectional control characters; ordinary text in any script passes.
func TestNameValidatorProblems(t *testing.T) {
	v := nameValidator()
	for s, want := range map[string]string{
		"Front desk":                     "",
		"Лобби 北门 شقة 4":                 "",
		strings.Repeat("é", 255):         "",
		strings.Repeat("n", 256):         "Value too long",
		"Front\x00desk":                  "Control character",
		"Front\ndesk":                    "Control character",
		"Esc\x1b[31m":                    "Control character",
		"Guest \u202Ekcab":               "Bidirectional control character",
		"Unit \u202A4B":                  "Bidirectional control character",
		"Lobby \u2066A\u2069":            "Bidirectional control character",
		"Lobby \u2067A":                  "Bidirectional control character",
		"Del\u0085":                      "Control character",
		"Zero\u200bwidth space, allowed": "",
	} {
		got, _ := v.problem(s)
		if got != want {
			t.Errorf("%q: %q, want %q", s, got, want)
		}
	}
}
