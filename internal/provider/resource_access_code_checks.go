package provider

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// PIN lengths assumed for a panel that does not report supported_code_lengths.
const (
	defaultMinCodeLength = 4
	defaultMaxCodeLength = 9
	// Bounds of preferred_code_length whatever the panel (Seam's own limits).
	minPreferredCodeLength = 4
	maxPreferredCodeLength = 20
)

// digitsProblem says why code is not a PIN made of digits, or "" when it is.
// It never quotes the PIN.
func digitsProblem(code string) string {
	if code == "" {
		return "it is empty"
	}
	for i, r := range code {
		if r < '0' || r > '9' {
			return fmt.Sprintf("character %d is not a digit 0-9 (only digits can be typed on an intercom keypad; no spaces, signs or separators)", i+1)
		}
	}
	return ""
}

// codeLengths is the PIN lengths a panel accepts: its supported_code_lengths,
// or 4 to 9 when it does not report them.
func codeLengths(d *seam.Device) []int {
	if d != nil && len(d.Properties.SupportedCodeLengths) > 0 {
		out := slices.Clone(d.Properties.SupportedCodeLengths)
		slices.Sort(out)
		return slices.Compact(out)
	}
	out := make([]int, 0, defaultMaxCodeLength-defaultMinCodeLength+1)
	for n := defaultMinCodeLength; n <= defaultMaxCodeLength; n++ {
		out = append(out, n)
	}
	return out
}

// describeLengths renders lengths compactly: "4 to 9", "4, 6 or 8", "6".
func describeLengths(lengths []int) string {
	if len(lengths) == 0 {
		return "none"
	}
	contiguous := true
	for i := 1; i < len(lengths); i++ {
		if lengths[i] != lengths[i-1]+1 {
			contiguous = false
		}
	}
	switch {
	case len(lengths) == 1:
		return strconv.Itoa(lengths[0])
	case contiguous && len(lengths) > 2:
		return fmt.Sprintf("%d to %d", lengths[0], lengths[len(lengths)-1])
	}
	parts := make([]string, len(lengths))
	for i, n := range lengths {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

// pinProblems checks a PIN against what the panel accepts: digits, one of
// its lengths, and the code constraints Seam reports whose meaning is
// unambiguous (the others are left to Seam). Messages never quote the PIN.
func pinProblems(code string, d *seam.Device) []string {
	if p := digitsProblem(code); p != "" {
		return []string{p}
	}
	var out []string
	if lengths := codeLengths(d); !slices.Contains(lengths, len(code)) {
		what := "this panel accepts"
		if d == nil || len(d.Properties.SupportedCodeLengths) == 0 {
			what = "panels that do not report their supported lengths accept"
		}
		out = append(out, fmt.Sprintf("it has %d digits; %s PINs of %s digits", len(code), what, describeLengths(lengths)))
	}
	if d == nil {
		return out
	}
	for _, c := range d.Properties.CodeConstraints {
		switch c.ConstraintType {
		case "no_zeros":
			if strings.Contains(code, "0") {
				out = append(out, "the panel does not accept the digit 0 (constraint no_zeros)")
			}
		case "cannot_start_with_12":
			if strings.HasPrefix(code, "12") {
				out = append(out, "the panel does not accept PINs starting with 12 (constraint cannot_start_with_12)")
			}
		case "no_all_same_digits":
			if strings.Count(code, code[:1]) == len(code) {
				out = append(out, "the panel does not accept a PIN made of one repeated digit (constraint no_all_same_digits)")
			}
		case "at_least_three_unique_digits":
			seen := map[rune]bool{}
			for _, r := range code {
				seen[r] = true
			}
			if len(seen) < 3 {
				out = append(out, "the panel needs at least three different digits (constraint at_least_three_unique_digits)")
			}
		case "cannot_contain_089":
			if strings.ContainsAny(code, "089") {
				out = append(out, "the panel's keypad has no 0, 8 or 9 (constraint cannot_contain_089)")
			}
		case "cannot_contain_0789":
			if strings.ContainsAny(code, "0789") {
				out = append(out, "the panel's keypad has no 0, 7, 8 or 9 (constraint cannot_contain_0789)")
			}
		case "no_triple_consecutive_ints":
			if longestRun(code) >= 3 {
				out = append(out, "the panel does not accept three consecutive digits in a row such as 123 or 987 (constraint no_triple_consecutive_ints)")
			}
		case "no_ascending_or_descending_sequence":
			if longestRun(code) == len(code) {
				out = append(out, "the panel does not accept a PIN that is one ascending or descending run such as 1234 (constraint no_ascending_or_descending_sequence)")
			}
		}
	}
	return out
}

// longestRun is the length of the longest run of digits going up or down by
// one ("4567" or "3210").
func longestRun(code string) int {
	if code == "" {
		return 0
	}
	best, up, down := 1, 1, 1
	for i := 1; i < len(code); i++ {
		up, down = 1+up*b2n(code[i] == code[i-1]+1), 1+down*b2n(code[i] == code[i-1]-1)
		best = max(best, up, down)
	}
	return best
}

func b2n(b bool) int {
	if b {
		return 1
	}
	return 0
}

// cannotSpecifyPIN reports a panel that only takes PINs it generates.
func cannotSpecifyPIN(d *seam.Device) bool {
	return slices.ContainsFunc(d.Properties.CodeConstraints, func(c seam.CodeConstraint) bool {
		return c.ConstraintType == "cannot_specify_pin_code"
	})
}

// nameLengthProblem checks a code name against the panel's name_length
// constraint, or returns "".
func nameLengthProblem(name string, d *seam.Device) string {
	if d == nil {
		return ""
	}
	n := len([]rune(name))
	for _, c := range d.Properties.CodeConstraints {
		if c.ConstraintType != "name_length" {
			continue
		}
		if c.MinLength != nil && n < *c.MinLength {
			return fmt.Sprintf("it has %d characters; this panel needs at least %d", n, *c.MinLength)
		}
		if c.MaxLength != nil && n > *c.MaxLength {
			return fmt.Sprintf("it has %d characters; this panel takes at most %d (Seam would cut it short on the device)", n, *c.MaxLength)
		}
	}
	return ""
}

// preferredLengthProblem checks preferred_code_length against the panel.
func preferredLengthProblem(n int, d *seam.Device) string {
	if lengths := codeLengths(d); !slices.Contains(lengths, n) {
		return fmt.Sprintf("this panel generates PINs of %s digits, not %d", describeLengths(lengths), n)
	}
	return ""
}

// scheduleProblem checks the order of a known starts_at/ends_at pair.
func scheduleProblem(startsAt, endsAt time.Time) string {
	if !endsAt.After(startsAt) {
		return fmt.Sprintf("ends_at (%s) must be later than starts_at (%s)", rfc3339UTC(endsAt), rfc3339UTC(startsAt))
	}
	return ""
}
