package provider

import (
	"testing"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// TestPINDrifted: Seam's PIN decides when it reports one; otherwise an
// external change of the code (or of unnamed fields) counts as drift, and a
// change of other fields does not.
func TestPINDrifted(t *testing.T) {
	external := func(code string, fields ...string) []seam.Problem {
		return []seam.Problem{{ErrorCode: code, ModifiedFields: fields}}
	}
	for _, tc := range []struct {
		name string
		ac   seam.AccessCode
		want bool
	}{
		{"same PIN", seam.AccessCode{Code: strPtr("583921")}, false},
		{"another PIN", seam.AccessCode{Code: strPtr("715926")}, true},
		{"same PIN, flagged", seam.AccessCode{Code: strPtr("583921"), Errors: external("conflicting_external_modification", "code")}, false},
		{"no PIN, code changed", seam.AccessCode{Errors: external("conflicting_external_modification", "code")}, true},
		{"no PIN, fields unnamed", seam.AccessCode{Errors: external("conflicting_external_modification")}, true},
		{"no PIN, name changed", seam.AccessCode{Errors: external("conflicting_external_modification", "name")}, false},
		{"no PIN, warning", seam.AccessCode{Warnings: []seam.Problem{{WarningCode: "external_modification_in_effect"}}}, true},
		{"no PIN, nothing reported", seam.AccessCode{}, false},
	} {
		if got := pinDrifted(&tc.ac, "583921"); got != tc.want {
			t.Errorf("%s: pinDrifted = %v, want %v", tc.name, got, tc.want)
		}
	}
}
