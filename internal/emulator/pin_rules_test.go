package emulator

import (
	"net/http"
	"testing"
)

// TestViolatedConstraint pins each PIN rule the emulator enforces: a PIN
// that breaks it and the nearest one that does not.
func TestViolatedConstraint(t *testing.T) {
	cases := []struct {
		constraint, bad, good string
		others                []string
	}{
		{"no_zeros", "4807", "4817", nil},
		{"cannot_start_with_12", "1254", "2154", nil},
		{"no_triple_consecutive_ints", "91235", "91245", nil},
		{"no_triple_consecutive_ints", "97654", "97643", nil}, // descending too
		{"no_ascending_or_descending_sequence", "3456", "3457", nil},
		{"no_ascending_or_descending_sequence", "6543", "6542", nil},
		{"at_least_three_unique_digits", "4474", "4476", nil},
		{"cannot_contain_089", "4518", "4517", nil},
		{"cannot_contain_089", "4519", "4514", nil},
		{"cannot_contain_0789", "4517", "4516", nil},
		{"no_all_same_digits", "7777", "7776", nil},
		{"unique_first_four_digits", "482913", "482013", []string{"4829", "55"}},
	}
	for _, tc := range cases {
		constraints := []codeConstraint{{ConstraintType: "name_length"}, {ConstraintType: tc.constraint}}
		if got := violatedConstraint(tc.bad, constraints, tc.others); got != "code breaks the device's code constraint "+tc.constraint {
			t.Errorf("%s: %s gave %q", tc.constraint, tc.bad, got)
		}
		if got := violatedConstraint(tc.good, constraints, tc.others); got != "" {
			t.Errorf("%s: %s gave %q, want no violation", tc.constraint, tc.good, got)
		}
	}
	// Every rule at once: the first one broken is named.
	all := []codeConstraint{{ConstraintType: "no_zeros"}, {ConstraintType: "no_all_same_digits"}}
	if got := violatedConstraint("0000", all, nil); got != "code breaks the device's code constraint no_zeros" {
		t.Errorf("0000: %q", got)
	}
	if got := violatedConstraint("1111", all, nil); got != "code breaks the device's code constraint no_all_same_digits" {
		t.Errorf("1111: %q", got)
	}
}

func TestHasRunAndUniqueDigits(t *testing.T) {
	for _, tc := range []struct {
		pin  string
		n    int
		want bool
	}{
		{"1", 1, true}, {"1", 2, false}, {"12", 2, true}, {"21", 2, true}, {"13", 2, false},
		{"1235", 3, true}, {"1245", 3, false}, {"5321", 3, true}, {"5320", 4, false}, {"3210", 4, true},
	} {
		if got := hasRun(tc.pin, tc.n); got != tc.want {
			t.Errorf("hasRun(%q, %d) = %v, want %v", tc.pin, tc.n, got, tc.want)
		}
	}
	for pin, want := range map[string]int{"": 0, "7": 1, "7777": 1, "4474": 2, "4821": 4} {
		if got := uniqueDigits(pin); got != want {
			t.Errorf("uniqueDigits(%q) = %d, want %d", pin, got, want)
		}
	}
}

// The PIN rules hold on update as on create: a length the panel does not
// take, a broken constraint, a PIN already on the panel.
func TestPINRulesOnUpdate(t *testing.T) {
	_, c := demo(t, Options{DuplicatePINConflict: true})
	first, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "4821"})
	second, _ := create(c, map[string]any{"device_id": DemoMapleCourtGarageID, "code": "6093"})
	id := str(second, "access_code_id")
	c.fail("/access_codes/update", map[string]any{"access_code_id": id, "code": "5555"}, 400, "invalid_input")
	c.fail("/access_codes/update", map[string]any{"access_code_id": id, "code": "123"}, 400, "invalid_input")
	c.fail("/access_codes/update", map[string]any{"access_code_id": id, "code": "12a4"}, 400, "invalid_input")
	c.fail("/access_codes/update", map[string]any{"access_code_id": id, "code": str(first, "code")}, 409, "duplicate_access_code")
	if got := codeOf(c, id); got["code"] != "6093" {
		t.Fatalf("a refused update changed the code: %v", got)
	}
	c.ok("/access_codes/update", map[string]any{"access_code_id": id, "code": "6094"})
	if got := codeOf(c, id); got["code"] != "6094" {
		t.Fatalf("update: %v", got)
	}
}

// /access_codes/unmanaged/update: is_managed is required; true converts the
// code (as convert_to_managed), false leaves it unmanaged.
func TestUnmanagedCodesUpdate(t *testing.T) {
	_, c := demo(t, Options{})
	c.fail("/access_codes/unmanaged/update", map[string]any{"access_code_id": DemoUnmanagedCleanerCodeID}, 400, "invalid_input")
	c.fail("/access_codes/unmanaged/update", map[string]any{"is_managed": true}, 400, "invalid_input")
	c.fail("/access_codes/unmanaged/update", map[string]any{"access_code_id": "nope", "is_managed": false}, 404, "access_code_not_found")

	c.ok("/access_codes/unmanaged/update", map[string]any{"access_code_id": DemoUnmanagedCleanerCodeID, "is_managed": false})
	if got := c.ok("/access_codes/unmanaged/get", map[string]any{"access_code_id": DemoUnmanagedCleanerCodeID}); dig(got, "access_code", "is_managed") != false {
		t.Fatalf("is_managed false changed the code: %v", got)
	}
	c.fail("/access_codes/get", map[string]any{"access_code_id": DemoUnmanagedCleanerCodeID}, 404, "access_code_not_found")

	c.ok("/access_codes/unmanaged/update", map[string]any{"access_code_id": DemoUnmanagedCleanerCodeID, "is_managed": true})
	if got := codeOf(c, DemoUnmanagedCleanerCodeID); got["is_managed"] != true {
		t.Fatalf("is_managed true did not convert: %v", got)
	}
	c.fail("/access_codes/unmanaged/get", map[string]any{"access_code_id": DemoUnmanagedCleanerCodeID}, 404, "access_code_not_found")
	// PATCH is an update method too; GET is not.
	if w, _ := c.do(http.MethodGet, "/access_codes/unmanaged/update", nil); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", w.Code)
	}
}

// Name rules: name_length bounds and name_must_be_unique (a code being
// removed no longer holds its name).
func TestNameRules(t *testing.T) {
	e, c := demo(t, Options{})
	bounded := &device{CodeConstraints: []codeConstraint{{ConstraintType: "name_length", MinLength: new(2), MaxLength: new(5)}}}
	for name, ok := range map[string]bool{"A": false, "Ab": true, "Abcde": true, "Abcdef": false} {
		if err := e.checkName(bounded, name, nil); (err == nil) != ok {
			t.Errorf("name_length 2..5: %q gave %v", name, err)
		}
	}
	id, err := e.AddDevice(DeviceSpec{ConnectedAccountID: DemoMapleCourtAccountID, DeviceType: "butterflymx_panel", Name: "Unique names",
		CodeConstraints: []string{"name_must_be_unique"}})
	if err != nil {
		t.Fatal(err)
	}
	first, _ := create(c, map[string]any{"device_id": id, "name": "Cleaner", "code": "4821"})
	c.fail("/access_codes/create", map[string]any{"device_id": id, "name": "Cleaner", "code": "4832"}, 400, "invalid_input")
	create(c, map[string]any{"device_id": id, "name": "Cleaner 2", "code": "4832"})
	c.ok("/access_codes/delete", map[string]any{"access_code_id": str(first, "access_code_id")})
	create(c, map[string]any{"device_id": id, "name": "Cleaner", "code": "4843"})
}
