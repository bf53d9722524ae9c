package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// timestampType is a string attribute holding an RFC 3339 timestamp. Two
// values that name the same instant are semantically equal, so Seam's
// normalised "2030-01-01T08:00:00.000Z" never shows as a diff against a
// configured "2030-01-01T10:00:00+02:00", and the form written in the
// configuration is the one kept in state.
type timestampType struct {
	basetypes.StringType
}

var (
	_ basetypes.StringTypable                    = timestampType{}
	_ basetypes.StringValuableWithSemanticEquals = timestampValue{}
	_ xattr.ValidateableAttribute                = timestampValue{}
)

func (t timestampType) String() string { return "timestampType" }

func (t timestampType) Equal(o attr.Type) bool {
	_, ok := o.(timestampType)
	return ok
}

func (t timestampType) ValueType(context.Context) attr.Value { return timestampValue{} }

func (t timestampType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return timestampValue{StringValue: in}, nil
}

func (t timestampType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	s, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return timestampValue{StringValue: s}, nil
}

// timestampValue is a value of timestampType.
type timestampValue struct {
	basetypes.StringValue
}

func timestampNull() timestampValue { return timestampValue{StringValue: basetypes.NewStringNull()} }

func timestampUnknown() timestampValue {
	return timestampValue{StringValue: basetypes.NewStringUnknown()}
}

// timestampPointerValue renders an optional Seam time as a timestampValue
// for state; nil is null. Sub-second digits are kept (found by
// FuzzTimestamp: rendering whole seconds made a configured "18:00:00.5Z"
// differ from its own state after apply; and treating the zero instant,
// "0001-01-01T00:00:00Z", as null made it differ too).
func timestampPointerValue(t *time.Time) timestampValue {
	if t == nil {
		return timestampNull()
	}
	return timestampValue{StringValue: basetypes.NewStringValue(t.UTC().Format(time.RFC3339Nano))}
}

func (v timestampValue) Type(context.Context) attr.Type { return timestampType{} }

func (v timestampValue) Equal(o attr.Value) bool {
	other, ok := o.(timestampValue)
	return ok && v.StringValue.Equal(other.StringValue)
}

// StringSemanticEquals compares the instants, not the spelling. A value that
// does not parse is only equal to the identical string.
func (v timestampValue) StringSemanticEquals(_ context.Context, newValuable basetypes.StringValuable) (bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	newValue, ok := newValuable.(timestampValue)
	if !ok {
		diags.AddError("Semantic Equality Check Error",
			fmt.Sprintf("Expected a timestampValue, got %T. This is a bug in the provider.", newValuable))
		return false, diags
	}
	return sameInstant(v.ValueString(), newValue.ValueString()), diags
}

// ValidateAttribute rejects a value that is not RFC 3339 at plan time.
func (v timestampValue) ValidateAttribute(_ context.Context, req xattr.ValidateAttributeRequest, resp *xattr.ValidateAttributeResponse) {
	if v.IsNull() || v.IsUnknown() {
		return
	}
	if _, err := parseTimestamp(v.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid RFC 3339 timestamp",
			fmt.Sprintf("%s must be an RFC 3339 timestamp such as \"2030-01-31T18:00:00Z\" or \"2030-01-31T13:00:00-05:00\" "+
				"(a date, \"T\", a time with seconds, and \"Z\" or an offset), got %q. You can build one with timeadd(timestamp(), \"24h\") "+
				"or formatdate().", req.Path, v.ValueString()))
	}
}

// Time returns the instant; ok is false for null, unknown or unparsable
// values.
func (v timestampValue) Time() (time.Time, bool) {
	if v.IsNull() || v.IsUnknown() {
		return time.Time{}, false
	}
	t, err := parseTimestamp(v.ValueString())
	return t, err == nil
}

// parseTimestamp accepts RFC 3339 with or without fractional seconds.
func parseTimestamp(s string) (time.Time, error) {
	return time.Parse(time.RFC3339Nano, s)
}

// sameInstant reports whether two RFC 3339 strings name the same instant.
func sameInstant(a, b string) bool {
	if a == b {
		return true
	}
	ta, errA := parseTimestamp(a)
	tb, errB := parseTimestamp(b)
	return errA == nil && errB == nil && ta.Equal(tb)
}
