package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A value changed on one panel wins over the prior state, so the drift
// shows in the plan; agreeing panels keep the prior value as written.
func TestSharedDrift(t *testing.T) {
	code := func(name, starts, ends string) accessCodeModel {
		m := accessCodeModel{Name: types.StringValue(name), StartsAt: timestampNull(), EndsAt: timestampNull()}
		if starts != "" {
			m.StartsAt, m.EndsAt = timestampValue{StringValue: types.StringValue(starts)}, timestampValue{StringValue: types.StringValue(ends)}
		}
		return m
	}
	name := func(v accessCodeModel) types.String { return v.Name }
	prior := types.StringValue("Resident 4B")

	same := []accessCodeModel{code("Resident 4B", "", ""), code("Resident 4B", "", "")}
	if got := drifted(prior, same, name); !got.Equal(prior) {
		t.Errorf("agreeing panels: got %s", got)
	}
	one := []accessCodeModel{code("Resident 4B", "", ""), code("Tampered", "", "")}
	if got := drifted(prior, one, name); got.ValueString() != "Tampered" {
		t.Errorf("one panel renamed: got %s, want the drifted name", got)
	}

	// The same instants in another offset are no change, and keep their spelling.
	starts := timestampValue{StringValue: types.StringValue("2030-03-02T08:00:00-05:00")}
	ends := timestampValue{StringValue: types.StringValue("2030-03-02T18:00:00-05:00")}
	utc := []accessCodeModel{code("x", "2030-03-02T13:00:00Z", "2030-03-02T23:00:00Z")}
	if s, e := driftedSchedule(starts, ends, utc); !s.Equal(starts) || !e.Equal(ends) {
		t.Errorf("same instants: got %s %s", s, e)
	}
	moved := append(utc, code("x", "2030-03-03T13:00:00Z", "2030-03-03T23:00:00Z"))
	if s, _ := driftedSchedule(starts, ends, moved); s.ValueString() != "2030-03-03T13:00:00Z" {
		t.Errorf("schedule moved on one panel: got %s", s)
	}
	ongoing := append(utc, code("x", "", ""))
	if s, e := driftedSchedule(starts, ends, ongoing); !s.IsNull() || !e.IsNull() {
		t.Errorf("schedule dropped on one panel: got %s %s", s, e)
	}
}
