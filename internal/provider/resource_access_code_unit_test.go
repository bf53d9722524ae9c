package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Unit tests of the access code helpers: no CLI, no emulator.

func tsv(s string) timestampValue { return timestampValue{StringValue: basetypes.NewStringValue(s)} }

func TestTimestamp_SemanticEquals(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"2030-01-01T08:00:00Z", "2030-01-01T08:00:00Z", true},
		{"2030-01-01T08:00:00Z", "2030-01-01T08:00:00.000Z", true},
		{"2030-01-01T10:00:00+02:00", "2030-01-01T08:00:00Z", true},
		{"2030-01-01T03:00:00-05:00", "2030-01-01T10:00:00+02:00", true},
		{"2030-01-01T08:00:00.5Z", "2030-01-01T08:00:00.500Z", true},
		{"2030-01-01T08:00:00Z", "2030-01-01T08:00:01Z", false},
		{"2030-01-01T08:00:00+02:00", "2030-01-01T08:00:00Z", false},
		{"not a time", "not a time", true},
		{"not a time", "2030-01-01T08:00:00Z", false},
		{"2030-01-01", "2030-01-01T00:00:00Z", false},
	} {
		got, diags := tsv(tc.a).StringSemanticEquals(ctx, tsv(tc.b))
		if diags.HasError() {
			t.Fatalf("%s vs %s: %v", tc.a, tc.b, diags)
		}
		if got != tc.want {
			t.Errorf("StringSemanticEquals(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
		// Symmetric.
		if back, _ := tsv(tc.b).StringSemanticEquals(ctx, tsv(tc.a)); back != got {
			t.Errorf("StringSemanticEquals is not symmetric for %q and %q", tc.a, tc.b)
		}
	}
	// Another value type is a provider bug, reported as such.
	if _, diags := tsv("2030-01-01T08:00:00Z").StringSemanticEquals(ctx, basetypes.NewStringValue("x")); !diags.HasError() {
		t.Error("comparing with a plain string should be an error")
	}
}

func TestTimestamp_ValidateAttribute(t *testing.T) {
	ctx := context.Background()
	good := []string{"2030-01-31T18:00:00Z", "2030-01-31T13:00:00-05:00", "2030-01-31T18:00:00.123Z", "2030-01-31T18:00:00+00:00"}
	bad := []string{"tomorrow", "2030-01-31", "2030-01-31 18:00:00Z", "2030-01-31T18:00Z", "31/01/2030", "2030-01-31T18:00:00", "2030-13-01T00:00:00Z", ""}
	for _, s := range good {
		var resp xattr.ValidateAttributeResponse
		tsv(s).ValidateAttribute(ctx, xattr.ValidateAttributeRequest{Path: path.Root("starts_at")}, &resp)
		if resp.Diagnostics.HasError() {
			t.Errorf("%q should be valid: %v", s, resp.Diagnostics)
		}
	}
	for _, s := range bad {
		var resp xattr.ValidateAttributeResponse
		tsv(s).ValidateAttribute(ctx, xattr.ValidateAttributeRequest{Path: path.Root("starts_at")}, &resp)
		if !resp.Diagnostics.HasError() {
			t.Errorf("%q should be invalid", s)
			continue
		}
		if d := resp.Diagnostics.Errors()[0].Detail(); !strings.Contains(d, "starts_at") || !strings.Contains(d, "RFC 3339") {
			t.Errorf("diagnostic for %q should name the attribute and the format: %s", s, d)
		}
	}
	// Null and unknown are left to other checks.
	for _, v := range []timestampValue{timestampNull(), timestampUnknown()} {
		var resp xattr.ValidateAttributeResponse
		v.ValidateAttribute(ctx, xattr.ValidateAttributeRequest{Path: path.Root("ends_at")}, &resp)
		if resp.Diagnostics.HasError() {
			t.Errorf("%v should not be validated", v)
		}
	}
}

func TestTimestamp_Of(t *testing.T) {
	if v := timestampPointerValue(nil); !v.IsNull() {
		t.Errorf("nil time should be null, got %v", v)
	}
	tm := time.Date(2030, 1, 1, 10, 0, 0, 0, time.FixedZone("x", 2*3600))
	if got := timestampPointerValue(&tm).ValueString(); got != "2030-01-01T08:00:00Z" {
		t.Errorf("timestampPointerValue = %q, want UTC RFC 3339", got)
	}
}

func testDevice(lengths []int, constraints ...string) *seam.Device {
	d := &seam.Device{DeviceID: "dev-1", DisplayName: "Lobby"}
	d.Properties.SupportedCodeLengths = lengths
	for _, c := range constraints {
		d.Properties.CodeConstraints = append(d.Properties.CodeConstraints, seam.CodeConstraint{ConstraintType: c})
	}
	return d
}

func TestPINCheck_DigitsProblem(t *testing.T) {
	for _, ok := range []string{"1234", "000000", "987654321"} {
		if p := digitsProblem(ok); p != "" {
			t.Errorf("%q: unexpected problem %q", ok, p)
		}
	}
	for _, bad := range []string{"", "12a4", "12 34", "-1234", "1234\n", "１２３４", "12.3"} {
		if p := digitsProblem(bad); p == "" {
			t.Errorf("%q should be refused", bad)
		}
	}
}

func TestPINCheck_PinProblems(t *testing.T) {
	const pin = "48213"
	for _, tc := range []struct {
		name   string
		code   string
		device *seam.Device
		want   string // substring of the problem, "" for none
	}{
		{"default lengths ok", "4821", nil, ""},
		{"default lengths too short", "482", nil, "3 digits"},
		{"default lengths too long", "4821394821", nil, "4 to 9"},
		{"panel lengths ok", pin, testDevice([]int{5, 4, 6}), ""},
		{"panel lengths refused", "4821", testDevice([]int{6, 8}), "6 or 8"},
		{"panel without lengths", "48213948", testDevice(nil), ""},
		{"not digits", "48x13", testDevice([]int{5}), "not a digit"},
		{"no zeros", "40213", testDevice([]int{5}, "no_zeros"), "digit 0"},
		{"cannot start with 12", "12834", testDevice([]int{5}, "cannot_start_with_12"), "starting with 12"},
		{"all same digits", "77777", testDevice([]int{5}, "no_all_same_digits"), "repeated digit"},
		{"three unique", "11222", testDevice([]int{5}, "at_least_three_unique_digits"), "three different"},
		{"constraints satisfied", "48213", testDevice([]int{5}, "no_zeros", "cannot_start_with_12", "no_all_same_digits", "at_least_three_unique_digits"), ""},
		{"keypad without 0, 8, 9", "48213", testDevice([]int{5}, "cannot_contain_089"), "no 0, 8 or 9"},
		{"keypad without 0, 7, 8, 9", "41273", testDevice([]int{5}, "cannot_contain_0789"), "no 0, 7, 8 or 9"},
		{"triple consecutive up", "41236", testDevice([]int{5}, "no_triple_consecutive_ints"), "three consecutive"},
		{"triple consecutive down", "49871", testDevice([]int{5}, "no_triple_consecutive_ints"), "three consecutive"},
		{"two consecutive are fine", "41275", testDevice([]int{5}, "no_triple_consecutive_ints"), ""},
		{"whole sequence", "54321", testDevice([]int{5}, "no_ascending_or_descending_sequence"), "one ascending or descending run"},
		{"partial sequence is fine", "12346", testDevice([]int{5}, "no_ascending_or_descending_sequence"), ""},
		{"constraints needing other codes are left to Seam", "41236", testDevice([]int{5}, "unique_first_four_digits"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			problems := pinProblems(tc.code, tc.device)
			joined := strings.Join(problems, "; ")
			if tc.want == "" && len(problems) > 0 {
				t.Fatalf("unexpected problems: %s", joined)
			}
			if tc.want != "" && !strings.Contains(joined, tc.want) {
				t.Fatalf("problems %q should mention %q", joined, tc.want)
			}
			if len(tc.code) >= 4 && strings.Contains(joined, tc.code) {
				t.Fatalf("a problem quotes the PIN: %s", joined)
			}
		})
	}
}

func TestPINCheck_LongestRun(t *testing.T) {
	for code, want := range map[string]int{"": 0, "5": 1, "55": 1, "12": 2, "4123": 3, "9876": 4, "13579": 1, "1232": 3, "0123456789": 10} {
		if got := longestRun(code); got != want {
			t.Errorf("longestRun(%q) = %d, want %d", code, got, want)
		}
	}
}

func TestPINCheck_DescribeLengths(t *testing.T) {
	for in, want := range map[string]string{
		"4,5,6,7,8,9": "4 to 9", "6": "6", "4,6": "4 or 6", "4,6,8": "4, 6 or 8", "4,5": "4 or 5",
	} {
		var lengths []int
		for _, s := range strings.Split(in, ",") {
			n := 0
			for _, r := range s {
				n = n*10 + int(r-'0')
			}
			lengths = append(lengths, n)
		}
		if got := describeLengths(lengths); got != want {
			t.Errorf("describeLengths(%v) = %q, want %q", lengths, got, want)
		}
	}
}

func TestCodePlan_PreferredAndNameChecks(t *testing.T) {
	if p := preferredLengthProblem(6, testDevice([]int{4, 6})); p != "" {
		t.Errorf("6 should fit: %s", p)
	}
	if p := preferredLengthProblem(5, testDevice([]int{4, 6})); !strings.Contains(p, "4 or 6") {
		t.Errorf("5 should not fit: %q", p)
	}
	if p := preferredLengthProblem(12, nil); !strings.Contains(p, "4 to 9") {
		t.Errorf("12 should not fit the default lengths: %q", p)
	}
	maxLen := 10
	d := testDevice(nil)
	d.Properties.CodeConstraints = []seam.CodeConstraint{{ConstraintType: "name_length", MaxLength: &maxLen}}
	if p := nameLengthProblem("Front door", d); p != "" {
		t.Errorf("10 characters should fit: %s", p)
	}
	if p := nameLengthProblem("Front door guest", d); !strings.Contains(p, "at most 10") {
		t.Errorf("16 characters should not fit: %q", p)
	}
	if !cannotSpecifyPIN(testDevice(nil, "cannot_specify_pin_code")) || cannotSpecifyPIN(testDevice(nil)) {
		t.Error("cannotSpecifyPIN")
	}
}

func TestCodePlan_ValidateSchedule(t *testing.T) {
	for _, tc := range []struct {
		start, end timestampValue
		wantPath   string
	}{
		{timestampNull(), timestampNull(), ""},
		{tsv("2030-01-01T00:00:00Z"), tsv("2030-01-02T00:00:00Z"), ""},
		{tsv("2030-01-01T00:00:00Z"), timestampNull(), "ends_at"},
		{timestampNull(), tsv("2030-01-01T00:00:00Z"), "starts_at"},
		{tsv("2030-01-02T00:00:00Z"), tsv("2030-01-01T00:00:00Z"), "ends_at"},
		{tsv("2030-01-01T02:00:00+02:00"), tsv("2030-01-01T00:00:00Z"), "ends_at"}, // same instant
		{tsv("2030-01-01T00:00:00Z"), timestampUnknown(), ""},
	} {
		var diags diag.Diagnostics
		validateSchedule(tc.start, tc.end, &diags)
		switch {
		case tc.wantPath == "" && diags.HasError():
			t.Errorf("%v..%v: unexpected %v", tc.start, tc.end, diags)
		case tc.wantPath != "" && !diags.HasError():
			t.Errorf("%v..%v: expected an error on %s", tc.start, tc.end, tc.wantPath)
		case tc.wantPath != "":
			d, ok := diags.Errors()[0].(diag.DiagnosticWithPath)
			if !ok || !d.Path().Equal(path.Root(tc.wantPath)) {
				t.Errorf("%v..%v: error should be on %s: %v", tc.start, tc.end, tc.wantPath, diags)
			}
		}
	}
}

func TestCodeWait_CodeSettled(t *testing.T) {
	now := time.Now()
	future, past := now.Add(48*time.Hour), now.Add(-time.Hour)
	yes := true
	offline := []seam.Problem{{ErrorCode: "device_offline", Message: "offline"}}
	for _, tc := range []struct {
		name string
		ac   seam.AccessCode
		want bool
	}{
		{"set", seam.AccessCode{Status: "set"}, true},
		{"setting", seam.AccessCode{Status: "setting"}, false},
		{"unset ongoing", seam.AccessCode{Status: "unset"}, false},
		{"unset future", seam.AccessCode{Status: "unset", StartsAt: &future}, true},
		{"unset future with errors", seam.AccessCode{Status: "unset", StartsAt: &future, Errors: offline}, false},
		{"scheduled future", seam.AccessCode{Status: "setting", StartsAt: &future, IsScheduledOnDevice: &yes}, true},
		{"unset started", seam.AccessCode{Status: "unset", StartsAt: &past}, false},
	} {
		if got := codeSettled(&tc.ac, now); got != tc.want {
			t.Errorf("%s: codeSettled = %v, want %v", tc.name, got, tc.want)
		}
	}
	refused := &seam.AccessCode{Status: "setting", Errors: append(offline, seam.Problem{ErrorCode: "no_space_for_access_code_on_device", Message: "full"})}
	if p := codeFailure(refused); p == nil || p.Code() != "no_space_for_access_code_on_device" {
		t.Errorf("codeFailure = %v", p)
	}
	if p := codeFailure(&seam.AccessCode{Errors: offline}); p != nil {
		t.Errorf("device_offline is not a refusal: %v", p)
	}
}

func TestCodeUpdate_AccessCodeChanges(t *testing.T) {
	base := accessCodeResourceModel{
		Name: types.StringValue("Guest"), Code: types.StringValue("4821"),
		StartsAt: tsv("2030-01-01T08:00:00Z"), EndsAt: tsv("2030-01-02T08:00:00Z"),
		Type:                      types.StringValue("time_bound"),
		AllowExternalModification: types.BoolValue(false), PreferNativeScheduling: types.BoolValue(true),
	}
	// Same instants in another spelling: nothing to send.
	plan := base
	plan.StartsAt, plan.EndsAt = tsv("2030-01-01T10:00:00+02:00"), tsv("2030-01-02T08:00:00.000Z")
	if _, changed := accessCodeChanges("ac", plan, base); changed {
		t.Error("a different spelling of the same instants is not a change")
	}
	// Name, code and times.
	plan = base
	plan.Name, plan.Code, plan.EndsAt = types.StringValue("Cleaner"), types.StringValue("9182"), tsv("2030-01-03T08:00:00Z")
	u, changed := accessCodeChanges("ac", plan, base)
	if !changed || u.Name == nil || *u.Name != "Cleaner" || u.Code == nil || *u.Code != "9182" || u.EndsAt == nil || u.StartsAt == nil || u.Type != nil {
		t.Errorf("unexpected update %+v", u)
	}
	// Dropping the schedule converts to ongoing.
	plan = base
	plan.StartsAt, plan.EndsAt = timestampNull(), timestampNull()
	u, changed = accessCodeChanges("ac", plan, base)
	if !changed || u.Type == nil || *u.Type != "ongoing" || u.StartsAt != nil {
		t.Errorf("expected a conversion to ongoing, got %+v", u)
	}
	// A generated code left out of the configuration is not sent.
	plan = base
	plan.Code = types.StringUnknown()
	if u, changed := accessCodeChanges("ac", plan, base); changed || u.Code != nil {
		t.Errorf("unknown code should not be sent: %+v", u)
	}
	// Flags.
	plan = base
	plan.AllowExternalModification = types.BoolValue(true)
	if u, changed := accessCodeChanges("ac", plan, base); !changed || u.AllowExternalModification == nil || !*u.AllowExternalModification {
		t.Errorf("expected allow_external_modification, got %+v", u)
	}
}

func TestCodeModel_New(t *testing.T) {
	empty, name, code := "", "Guest", "4821"
	start := time.Date(2030, 1, 1, 8, 0, 0, 0, time.UTC)
	end := start.Add(24 * time.Hour)
	m := newAccessCodeModel(seam.AccessCode{
		AccessCodeID: "ac-1", DeviceID: "dev-1", Name: &name, Code: &code, CommonCodeKey: &empty,
		Status: "set", StartsAt: &start, EndsAt: &end, IsManaged: true, CreatedAt: start,
		Warnings: []seam.Problem{{WarningCode: "delay_in_setting_on_device", Message: "slow"}},
	})
	if m.Type.ValueString() != "time_bound" || !m.CommonCodeKey.IsNull() || m.Name.ValueString() != "Guest" ||
		m.StartsAt.ValueString() != "2030-01-01T08:00:00Z" || m.IsScheduledOnDevice.ValueBool() || m.Errors.IsNull() ||
		len(m.Errors.Elements()) != 0 || len(m.Warnings.Elements()) != 1 || m.ID != m.AccessCodeID {
		t.Errorf("unexpected model %+v", m)
	}
	// An unmanaged code without type or name.
	m = newAccessCodeModel(seam.AccessCode{AccessCodeID: "ac-2", DeviceID: "dev-1", Status: "set"})
	if m.Type.ValueString() != "ongoing" || !m.Name.IsNull() || !m.Code.IsNull() || !m.StartsAt.IsNull() || m.IsManaged.ValueBool() {
		t.Errorf("unexpected model %+v", m)
	}
}

func TestLostCreate_Recovery(t *testing.T) {
	started := time.Now()
	name, pin, other := "Guest", "4821", "9999"
	start := started.Add(time.Hour).Truncate(time.Second)
	end := start.Add(time.Hour)
	in := seam.AccessCodeCreate{DeviceID: "dev", Name: &name, Code: &pin, StartsAt: &start, EndsAt: &end}
	made := seam.AccessCode{CreatedAt: started.Add(time.Second), Name: &name, Code: &pin, StartsAt: &start, EndsAt: &end}
	if !createdBy(made, in, started) {
		t.Error("the code the create made should match")
	}
	older := made
	older.CreatedAt = started.Add(-time.Hour)
	otherPIN := made
	otherPIN.Code = &other
	ongoing := made
	ongoing.StartsAt, ongoing.EndsAt = nil, nil
	laterEnd, otherName := end.Add(time.Hour), "Guest 2"
	otherEnd, otherStart, renamed, unnamed := made, made, made, made
	otherEnd.EndsAt = &laterEnd
	otherStart.StartsAt = &started
	renamed.Name = &otherName
	unnamed.Name = nil
	for what, ac := range map[string]seam.AccessCode{
		"an older code": older, "another PIN": otherPIN, "another schedule": ongoing, "another ends_at": otherEnd,
		"another starts_at": otherStart, "another name": renamed, "a code without a name": unnamed,
	} {
		if createdBy(ac, in, started) {
			t.Errorf("%s should not match", what)
		}
	}
	// A generated PIN is matched on the rest.
	generated := in
	generated.Code = nil
	if !createdBy(otherPIN, generated, started) {
		t.Error("a generated code should match on name and schedule")
	}
}

// acTerraformValue builds an access code object: every attribute null but
// those given.
func acTerraformValue(t *testing.T, set map[string]tftypes.Value) (resource.SchemaResponse, tftypes.Value) {
	t.Helper()
	ctx := context.Background()
	var sresp resource.SchemaResponse
	(&accessCodeResource{}).Schema(ctx, resource.SchemaRequest{}, &sresp)
	typ, ok := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the schema is not an object")
	}
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for name, v := range set {
		if _, ok := vals[name]; !ok {
			t.Fatalf("no attribute %s", name)
		}
		vals[name] = v
	}
	return sresp, tftypes.NewValue(typ, vals)
}

// runModifyPlan runs ModifyPlan without a client (no panel checks); a null
// state is a create, a null plan a destroy.
func runModifyPlan(t *testing.T, state, plan map[string]tftypes.Value) resource.ModifyPlanResponse {
	t.Helper()
	return runModifyPlanAt(t, nil, state, plan)
}

// runModifyPlanAt is runModifyPlan with the provider's clock set to clock
// (nil: the machine's).
func runModifyPlanAt(t *testing.T, clock func() time.Time, state, plan map[string]tftypes.Value) resource.ModifyPlanResponse {
	t.Helper()
	sresp, planVal := acTerraformValue(t, plan)
	_, stateVal := acTerraformValue(t, state)
	if state == nil {
		stateVal = tftypes.NewValue(stateVal.Type(), nil)
	}
	if plan == nil {
		planVal = tftypes.NewValue(planVal.Type(), nil)
	}
	req := resource.ModifyPlanRequest{
		Config: tfsdk.Config{Schema: sresp.Schema, Raw: planVal},
		Plan:   tfsdk.Plan{Schema: sresp.Schema, Raw: planVal},
		State:  tfsdk.State{Schema: sresp.Schema, Raw: stateVal},
	}
	resp := resource.ModifyPlanResponse{Plan: req.Plan}
	r := &accessCodeResource{}
	if clock != nil {
		r.data = &providerData{clock: clock}
	}
	r.ModifyPlan(context.Background(), req, &resp)
	return resp
}

func TestCodePlan_PastEndsAt(t *testing.T) {
	t.Parallel()
	fixed := time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return fixed }
	schedule := func(start, end time.Time) map[string]tftypes.Value {
		return map[string]tftypes.Value{
			"device_id": acStr("dev-1"), "name": acStr("Visitor"),
			"starts_at": acStr(start.Format(time.RFC3339)), "ends_at": acStr(end.Format(time.RFC3339)),
		}
	}
	// An expired code proposed again (or a new one that ends in the past):
	// a warning that names ends_at and what to do, never an error, so the
	// other resources of the workspace can still be applied.
	resp := runModifyPlanAt(t, clock, nil, schedule(fixed.Add(-48*time.Hour), fixed.Add(-time.Hour)))
	if resp.Diagnostics.HasError() {
		t.Fatalf("an ends_at in the past must not fail the plan: %v", resp.Diagnostics)
	}
	if len(resp.Diagnostics) != 1 {
		t.Fatalf("expected one warning, got %v", resp.Diagnostics)
	}
	w, ok := resp.Diagnostics[0].(diag.DiagnosticWithPath)
	if !ok || !w.Path().Equal(path.Root("ends_at")) || w.Severity() != diag.SeverityWarning {
		t.Fatalf("expected a warning on ends_at, got %v", resp.Diagnostics)
	}
	for _, part := range []string{"2030-06-01T11:00:00Z", "remove this resource", "move ends_at", "fails for this access code"} {
		if !strings.Contains(w.Detail(), part) {
			t.Errorf("the warning should say %q: %s", part, w.Detail())
		}
	}
	// The check follows the provider's clock, not the machine's.
	if resp := runModifyPlanAt(t, clock, nil, schedule(fixed.Add(-time.Hour), fixed.Add(time.Hour))); len(resp.Diagnostics) != 0 {
		t.Errorf("an ends_at after the provider's clock should pass: %v", resp.Diagnostics)
	}
}

func TestCodePlan_ReplacesRefusedCode(t *testing.T) {
	_, errs := acTerraformValue(t, nil)
	errType := errs.Type().(tftypes.Object).AttributeTypes["errors"].(tftypes.List)
	problems := func(codes ...string) tftypes.Value {
		var elems []tftypes.Value
		for _, c := range codes {
			elems = append(elems, tftypes.NewValue(errType.ElementType, map[string]tftypes.Value{
				"code": acStr(c), "message": acStr("refused"),
			}))
		}
		return tftypes.NewValue(errType, elems)
	}
	code := func(errors tftypes.Value) map[string]tftypes.Value {
		return map[string]tftypes.Value{
			"id": acStr("ac-1"), "device_id": acStr("dev-1"), "name": acStr("Plumber"), "code": acStr("250917"),
			"status": acStr("unset"), "errors": errors, "is_managed": tftypes.NewValue(tftypes.Bool, true),
		}
	}
	for _, refusal := range []string{"duplicate_code_on_device", "no_space_for_access_code_on_device"} {
		resp := runModifyPlan(t, code(problems("device_offline", refusal)), code(problems("device_offline", refusal)))
		if resp.Diagnostics.HasError() {
			t.Fatalf("%s: %v", refusal, resp.Diagnostics)
		}
		if len(resp.RequiresReplace) != 1 || !resp.RequiresReplace[0].Equal(path.Root("status")) {
			t.Errorf("%s: expected a replacement on status, got %v", refusal, resp.RequiresReplace)
		}
		var status types.String
		resp.Plan.GetAttribute(context.Background(), path.Root("status"), &status)
		if !status.IsUnknown() {
			t.Errorf("%s: status should be unknown in the plan, got %v", refusal, status)
		}
		if len(resp.Diagnostics.Warnings()) != 1 || !strings.Contains(resp.Diagnostics.Warnings()[0].Detail(), "replaces it") {
			t.Errorf("%s: expected a warning that says the plan replaces the code: %v", refusal, resp.Diagnostics)
		}
	}
	// Other errors, no errors, and a destroy: nothing to replace.
	for name, tc := range map[string]struct{ state, plan map[string]tftypes.Value }{
		"offline":   {code(problems("device_offline")), code(problems("device_offline"))},
		"no errors": {code(problems()), code(problems())},
		"destroy":   {code(problems("duplicate_code_on_device")), nil},
		// Seam keeps trying to set it: nothing to replace.
		"retrying": {code(problems("failed_to_set_on_device")), code(problems("failed_to_set_on_device"))},
	} {
		if resp := runModifyPlan(t, tc.state, tc.plan); len(resp.RequiresReplace) != 0 || resp.Diagnostics.HasError() {
			t.Errorf("%s: unexpected replacement %v (%v)", name, resp.RequiresReplace, resp.Diagnostics)
		}
	}
}

func TestLostCreate_FindCreated(t *testing.T) {
	srv := startEmulator(t)
	c := emulatorClient(t, srv)
	r := &accessCodeResource{data: &providerData{client: c}}
	ctx := context.Background()
	panel := codeIntercom(t, srv).DeviceID
	started := time.Now()
	create := func(name string, code *string) string {
		ac, _, err := c.CreateAccessCode(ctx, seam.AccessCodeCreate{DeviceID: panel, Name: &name, Code: code})
		if err != nil {
			t.Fatalf("creating %s: %v", name, err)
		}
		return ac.AccessCodeID
	}
	pin := "318652"
	one := create("Locksmith", &pin)
	twinA, twinB := create("Twin", nil), create("Twin", nil)

	name := func(s string) *string { return &s }
	match, cands, err := r.findCreated(ctx, seam.AccessCodeCreate{DeviceID: panel, Name: name("Locksmith"), Code: &pin}, started)
	if err != nil || match == nil || match.AccessCodeID != one || len(cands) != 1 {
		t.Errorf("one match: got %v, %v, %v", match, cands, err)
	}
	match, cands, err = r.findCreated(ctx, seam.AccessCodeCreate{DeviceID: panel, Name: name("Twin")}, started)
	if err != nil || match != nil || len(cands) != 2 || cands[0].AccessCodeID != twinA || cands[1].AccessCodeID != twinB {
		t.Errorf("two candidates: got %v, %v, %v", match, cands, err)
	}
	match, cands, err = r.findCreated(ctx, seam.AccessCodeCreate{DeviceID: panel, Name: name("Nobody")}, started)
	if err != nil || match != nil || len(cands) != 0 {
		t.Errorf("no match: got %v, %v, %v", match, cands, err)
	}
	match, _, err = r.findCreated(ctx, seam.AccessCodeCreate{DeviceID: "00000000-0000-4000-8000-000000000000", Name: name("Locksmith")}, started)
	if err == nil || match != nil {
		t.Errorf("a failed list must be an error: got %v, %v", match, err)
	}
	if _, _, err := r.findCreated(ctx, seam.AccessCodeCreate{DeviceID: panel}, started); !errors.Is(err, errUnrecognisable) {
		t.Errorf("a generated unnamed code: got %v", err)
	}
}

func TestLostCreate_Report(t *testing.T) {
	name := "Locksmith"
	in := seam.AccessCodeCreate{DeviceID: "dev-1", Name: &name}
	lost := errors.New("seam: /access_codes/create: no reply within 30s")
	detail := func(cands []seam.AccessCode, listErr error) string {
		var diags diag.Diagnostics
		reportLostCreate(&diags, nil, in, lost, cands, listErr)
		if len(diags) != 1 || !diags.HasError() {
			t.Fatalf("expected one error, got %v", diags)
		}
		return diags[0].Detail()
	}
	for what, tc := range map[string]struct {
		cands   []seam.AccessCode
		listErr error
		want    []string
		notWant string
	}{
		"list failed": {nil, errors.New("seam: /access_codes/list: 500"), []string{"may exist on the panel",
			`butterflymx_access_codes data source (device_id = "dev-1")`, `"Locksmith"`, "terraform import", "/access_codes/list: 500"},
			"nothing is left behind"},
		"several": {[]seam.AccessCode{{AccessCodeID: "ac-1"}, {AccessCodeID: "ac-2"}}, nil,
			[]string{"2 codes on the panel match", "ac-1, ac-2", "terraform import"}, "nothing is left behind"},
		"unrecognisable": {nil, errUnrecognisable, []string{"cannot be recognised", "butterflymx_access_codes", "Giving codes a name"},
			"nothing is left behind"},
		"none": {nil, nil, []string{"found none, so nothing is left behind"}, "terraform import"},
	} {
		d := detail(tc.cands, tc.listErr)
		for _, w := range tc.want {
			if !strings.Contains(d, w) {
				t.Errorf("%s: the message should say %q: %s", what, w, d)
			}
		}
		if strings.Contains(d, tc.notWant) {
			t.Errorf("%s: the message should not say %q: %s", what, tc.notWant, d)
		}
	}
}

func TestCodeWait_SettleErrorWording(t *testing.T) {
	if ref, start := accessCodeRef("ac-1"); ref != "access code ac-1" || start != "Access code ac-1" {
		t.Errorf("accessCodeRef(ac-1) = %q, %q", ref, start)
	}
	if ref, start := accessCodeRef(""); ref != "access code" || start != "Access code" {
		t.Errorf("accessCodeRef() = %q, %q", ref, start)
	}
	r := &accessCodeResource{}
	last := &seam.AccessCode{AccessCodeID: "ac-1", DeviceID: "dev-1"}
	report := func(op string, err error) string {
		var diags diag.Diagnostics
		r.reportSettleError(context.Background(), &diags, op, nil, last, err, time.Minute)
		return diags[0].Detail()
	}
	refused := &codeRefusedError{problem: seam.Problem{ErrorCode: "no_space_for_access_code_on_device", Message: "full"}}
	if d := report("update", refused); !strings.Contains(d, "The next plan replaces it") || strings.Contains(d, "tries the change again") {
		t.Errorf("a refused update is replaced by the next plan: %s", d)
	}
	if d := report("create", refused); !strings.Contains(d, "marked tainted") {
		t.Errorf("a refused create is tainted: %s", d)
	}
	if d := report("create", &codeGoneError{err: errors.New("404")}); !strings.HasPrefix(d, "Access code ac-1 on panel") {
		t.Errorf("a sentence should start with the code: %s", d)
	}
}

// TestCodesDataSource_EveryPage reads butterflymx_access_codes directly
// (no CLI) on panels with more codes than a page holds, managed and
// unmanaged, and checks that every page is followed.
func TestCodesDataSource_EveryPage(t *testing.T) {
	t.Parallel()
	srv := startEmulator(t)
	ctx := context.Background()
	const n = accessCodesPageSize + 1
	managedPanel, unmanagedPanel, managed := fillDevices(t, srv, n)
	d := &accessCodesDataSource{data: &providerData{client: emulatorClient(t, srv)}}
	var sresp datasource.SchemaResponse
	d.Schema(ctx, datasource.SchemaRequest{}, &sresp)
	typ, ok := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the schema is not an object")
	}
	read := func(deviceID string, unmanaged bool) accessCodesDataSourceModel {
		t.Helper()
		cfg := map[string]tftypes.Value{}
		for name, at := range typ.AttributeTypes {
			cfg[name] = tftypes.NewValue(at, nil)
		}
		cfg["device_id"] = tftypes.NewValue(tftypes.String, deviceID)
		cfg["include_unmanaged"] = tftypes.NewValue(tftypes.Bool, unmanaged)
		req := datasource.ReadRequest{Config: tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, cfg)}}
		resp := datasource.ReadResponse{State: tfsdk.State{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, nil)}}
		srv.Emulator.ResetStats()
		d.Read(ctx, req, &resp)
		if resp.Diagnostics.HasError() {
			t.Fatalf("reading %s: %v", deviceID, resp.Diagnostics)
		}
		var m accessCodesDataSourceModel
		if diags := resp.State.Get(ctx, &m); diags.HasError() {
			t.Fatal(diags)
		}
		return m
	}

	m := read(managedPanel, false)
	if len(m.AccessCodes) != n {
		t.Fatalf("managed: got %d codes, want %d", len(m.AccessCodes), n)
	}
	for i, id := range managed {
		if got := m.AccessCodes[i].AccessCodeID.ValueString(); got != id {
			t.Fatalf("managed code %d is %s, want %s", i, got, id)
		}
	}
	if calls := srv.Emulator.Stats().Calls["/access_codes/list"]; calls != 2 {
		t.Errorf("managed: expected 2 pages of /access_codes/list, got %d calls", calls)
	}

	m = read(unmanagedPanel, true)
	if len(m.AccessCodes) != n {
		t.Fatalf("unmanaged: got %d codes, want %d", len(m.AccessCodes), n)
	}
	seen := map[string]bool{}
	for i, ac := range m.AccessCodes {
		if ac.IsManaged.ValueBool() || seen[ac.AccessCodeID.ValueString()] {
			t.Fatalf("code %d: managed or listed twice: %+v", i, ac)
		}
		seen[ac.AccessCodeID.ValueString()] = true
	}
	if last := m.AccessCodes[n-1].Name.ValueString(); last != fmt.Sprintf("Keypad %d", n-1) {
		t.Errorf("the last unmanaged code is %q", last)
	}
	calls := srv.Emulator.Stats().Calls
	if calls["/access_codes/unmanaged/list"] != 2 || calls["/access_codes/list"] != 1 {
		t.Errorf("unmanaged: expected 2 pages of /access_codes/unmanaged/list (and 1 empty managed page), got %v", calls)
	}
}
