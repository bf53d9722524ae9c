package provider

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// formatTime renders a Seam timestamp the way state stores it: RFC 3339 in UTC.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// timeString renders a timestamp that may be absent; absent is null.
func timeString(t time.Time) types.String {
	if t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(formatTime(t))
}

// timestampString renders an optional timestamp; nil is null.
func timestampString(t *time.Time) types.String {
	if t == nil {
		return types.StringNull()
	}
	return timeString(*t)
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
