package provider

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
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

// A code that reads set while Seam still pushes a new PIN to the panel is
// not done: the wait the shared code uses (the single code's) goes on until
// nothing is pending, and a creation deferred to a later starts_at is not
// waited for.
func TestSharedWaitNothingPending(t *testing.T) {
	t.Parallel()
	var gets atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pending := `[]`
		if gets.Add(1) < 3 {
			pending = `[{"mutation_code":"updating_code","created_at":"2026-01-01T00:00:00Z","message":"pushing"}]`
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"ok":true,"access_code":{"access_code_id":"ac1","device_id":"d1","status":"set","type":"ongoing",`+
			`"errors":[],"warnings":[],"pending_mutations":`+pending+`}}`)
	}))
	defer srv.Close()
	c, err := seam.New(seam.Config{Endpoint: srv.URL, APIKey: "seam_test_key", MaxRetries: 1, RequestTimeout: 5 * time.Second, RateLimitWindow: -1})
	if err != nil {
		t.Fatal(err)
	}
	start := &seam.AccessCode{AccessCodeID: "ac1", Status: seam.AccessCodeStatusSet,
		PendingMutations: []seam.PendingMutation{{MutationCode: "updating_code"}}}
	got, err := waitForSet(context.Background(), c, start, nil)
	if err != nil || len(got.PendingMutations) != 0 || gets.Load() != 3 {
		t.Fatalf("waitForSet = %+v, %v after %d reads; want nothing pending after 3", got, err, gets.Load())
	}
	later := time.Now().Add(time.Hour)
	deferred := &seam.AccessCode{AccessCodeID: "ac1", Status: seam.AccessCodeStatusUnset, StartsAt: &later,
		PendingMutations: []seam.PendingMutation{{MutationCode: deferringCreation}}}
	if _, err := waitForSet(context.Background(), c, deferred, nil); err != nil || gets.Load() != 3 {
		t.Fatalf("a deferred creation was waited for (%v, %d reads)", err, gets.Load())
	}
}
