package seam

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// The client learns Seam's clock from the Date header of its replies, so a
// machine whose clock is off still compares schedules with Seam's time.
func TestClientNowFollowsServerDate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		offset time.Duration // of the server's clock from the machine's
		want   time.Duration // what Now should add, within tolerance
	}{
		{"server ahead", 36 * time.Hour, 36 * time.Hour},
		{"server behind", -3 * time.Hour, -3 * time.Hour},
		{"within the header's precision", 700 * time.Millisecond, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.on("/workspaces/get", func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
				w.Header().Set("Date", time.Now().Add(tc.offset).UTC().Format(http.TimeFormat))
				writeJSON(w, 200, map[string]any{"workspace": map[string]any{"workspace_id": "ws"}})
			})
			c := f.client()
			if d := time.Until(c.Now()); d.Abs() > time.Second {
				t.Fatalf("before any reply Now should be the machine's clock, off by %s", d)
			}
			if _, err := c.GetWorkspace(context.Background()); err != nil {
				t.Fatal(err)
			}
			if d := time.Until(c.Now()) - tc.want; d.Abs() > 1500*time.Millisecond {
				t.Errorf("Now is off Seam's clock by %s (want an offset of %s)", d, tc.want)
			}
		})
	}
}
