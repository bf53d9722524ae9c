package provider

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// expiryPlan's decisions, on a fixed Seam clock: a code is ended within a
// minute of its ends_at; an expired code is extended only by an ends_at
// Seam has not reached (or one not known yet), which asks for a
// replacement; otherwise it stays expired, and no replacement is asked.
func TestExpiryPlanDecisions(t *testing.T) {
	seamNow := time.Date(2030, 5, 4, 12, 0, 0, 0, time.UTC)
	d := &providerData{clock: func() time.Time { return seamNow }}
	at := func(offset time.Duration) timestampValue { t := seamNow.Add(offset); return timestampPointerValue(&t) }
	cases := []struct {
		name              string
		expired           types.Bool
		planEnd, stateEnd timestampValue
		want              codeExpiry
		replace           bool
	}{
		{"live", types.BoolValue(false), at(time.Hour), at(time.Hour), codeLive, false},
		{"ended, Seam still has it", types.BoolValue(false), at(-time.Hour), at(-time.Hour), codeEnded, false},
		{"within the margin", types.BoolValue(false), at(30 * time.Second), at(30 * time.Second), codeEnded, false},
		{"past the margin", types.BoolValue(false), at(2 * time.Minute), at(2 * time.Minute), codeLive, false},
		{"state from before expired", types.BoolNull(), at(time.Hour), at(time.Hour), codeLive, false},
		{"expired, unchanged", types.BoolValue(true), at(-time.Hour), at(-time.Hour), codeStaysExpired, false},
		{"expired, another past end", types.BoolValue(true), at(-30 * time.Minute), at(-time.Hour), codeStaysExpired, false},
		{"expired, extended", types.BoolValue(true), at(time.Hour), at(-time.Hour), codeExtended, true},
		{"expired, end not known yet", types.BoolValue(true), timestampUnknown(), at(-time.Hour), codeExtended, true},
	}
	for _, c := range cases {
		resp := &resource.ModifyPlanResponse{RequiresReplace: path.Paths{path.Root("device_id")}}
		got := d.expiryPlan(context.Background(), c.expired, c.planEnd, c.stateEnd, "", resp)
		if got != c.want {
			t.Errorf("%s: got %d, want %d", c.name, got, c.want)
		}
		hasEndsAt := resp.RequiresReplace.Contains(path.Root("ends_at"))
		if hasEndsAt != c.replace {
			t.Errorf("%s: replacement on ends_at %v, want %v", c.name, hasEndsAt, c.replace)
		}
		if kept := resp.RequiresReplace.Contains(path.Root("device_id")); kept == (c.want == codeStaysExpired) {
			t.Errorf("%s: the other replacement kept = %v", c.name, kept)
		}
	}
}
