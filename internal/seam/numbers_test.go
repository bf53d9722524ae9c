package seam

import (
	"encoding/json"
	"slices"
	"testing"
)

// Seam's numbers are JSON numbers (format float): 6.0 decodes as 6, and a
// fraction is an error rather than a silently truncated length.
func TestCapabilityNumbersAcceptFloats(t *testing.T) {
	var d Device
	raw := `{"device_id":"d1","properties":{"online":true,"name":"Lobby","supported_code_lengths":[4.0,6],
		"max_active_codes_supported":250.0,"code_constraints":[{"constraint_type":"name_length","min_length":1.0,"max_length":14}]}}`
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		t.Fatal(err)
	}
	p := d.Properties
	if !slices.Equal(p.SupportedCodeLengths, []int{4, 6}) || p.MaxActiveCodesSupported == nil || *p.MaxActiveCodesSupported != 250 ||
		!p.Online || p.Name != "Lobby" {
		t.Fatalf("properties = %+v", p)
	}
	c := p.CodeConstraints[0]
	if c.ConstraintType != "name_length" || *c.MinLength != 1 || *c.MaxLength != 14 {
		t.Fatalf("constraint = %+v", c)
	}
	if err := json.Unmarshal([]byte(`{"properties":{"supported_code_lengths":[4.5]}}`), &d); err == nil {
		t.Fatal("4.5 decoded as a code length")
	}
}
