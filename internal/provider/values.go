package provider

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// rfc3339UTC renders a Seam time the way state stores it: RFC 3339 in UTC, "" for
// the zero time.
func rfc3339UTC(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// timeStringValue renders a time that may be absent (zero) as a string value; absent is null.
func timeStringValue(t time.Time) types.String {
	if t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(rfc3339UTC(t))
}

// timeStringPointerValue renders an optional time as a string value; nil is null.
func timeStringPointerValue(t *time.Time) types.String {
	if t == nil {
		return types.StringNull()
	}
	return timeStringValue(*t)
}

// optionalString maps Seam's nullable strings: nil and "" are both null.
func optionalString(s *string) types.String {
	if s == nil || *s == "" {
		return types.StringNull()
	}
	return types.StringValue(*s)
}

// stringPointer returns nil for a null or unknown value, so optional
// arguments are left out of API requests.
func stringPointer(v types.String) *string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	s := v.ValueString()
	return &s
}

func boolPointer(v types.Bool) *bool {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	b := v.ValueBool()
	return &b
}
