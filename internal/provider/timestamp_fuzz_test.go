package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

// FuzzTimestamp checks the timestamp type on arbitrary strings: validation
// accepts exactly what Time parses; semantic equality is reflexive and
// symmetric and agrees with the instants; a timestamp rendered back from
// its instant is semantically equal to it; and the error quotes the value
// without panicking.
func FuzzTimestamp(f *testing.F) {
	for _, s := range []string{
		"2030-01-31T18:00:00Z", "2030-01-31T13:00:00-05:00", "2030-01-31T18:00:00.123456789Z",
		"2030-01-31 18:00:00Z", "2030-02-30T00:00:00Z", "9999-12-31T23:59:60Z", "", "now", "2030-01-31T18:00:00+25:00",
		"0000-01-01T00:00:00Z", "2030-01-31t18:00:00z",
	} {
		f.Add(s, "2030-01-31T18:00:00Z")
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, a, b string) {
		va := timestampValue{StringValue: basetypes.NewStringValue(a)}
		vb := timestampValue{StringValue: basetypes.NewStringValue(b)}
		var resp xattr.ValidateAttributeResponse
		va.ValidateAttribute(ctx, xattr.ValidateAttributeRequest{Path: path.Root("ends_at")}, &resp)
		ta, ok := va.Time()
		if resp.Diagnostics.HasError() == ok {
			t.Fatalf("%q: validation error %v but Time() ok %v", a, resp.Diagnostics.HasError(), ok)
		}
		if resp.Diagnostics.HasError() && !strings.Contains(resp.Diagnostics[0].Detail(), "ends_at") {
			t.Fatalf("%q: the error does not name the attribute: %s", a, resp.Diagnostics[0].Detail())
		}
		eq := func(x, y timestampValue) bool {
			same, d := x.StringSemanticEquals(ctx, y)
			if d.HasError() {
				t.Fatal(d)
			}
			return same
		}
		if !eq(va, va) {
			t.Fatalf("%q is not equal to itself", a)
		}
		if eq(va, vb) != eq(vb, va) {
			t.Fatalf("equality of %q and %q is not symmetric", a, b)
		}
		tb, okB := vb.Time()
		if ok && okB && eq(va, vb) != ta.Equal(tb) {
			t.Fatalf("%q and %q: semantic equality %v, instants equal %v", a, b, eq(va, vb), ta.Equal(tb))
		}
		if ok {
			back := timestampPointerValue(&ta)
			if !eq(va, back) {
				t.Fatalf("%q rendered back as %q is not the same instant", a, back.ValueString())
			}
			if bt, ok := back.Time(); !ok || !bt.Equal(ta) || bt.Location() != time.UTC && bt.Format(time.RFC3339Nano) == "" {
				t.Fatalf("%q rendered back as %q does not parse to the same instant", a, back.ValueString())
			}
		}
	})
}
