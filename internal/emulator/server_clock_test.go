package emulator

import (
	"net/http"
	"testing"
	"time"
)

// Replies carry a Date on the emulated clock, not the machine's, as clients
// learn Seam's time from it.
func TestReplyDateIsEmulatedClock(t *testing.T) {
	e, c := demo(t, Options{})
	e.AdvanceClock(72 * time.Hour)
	w, _ := c.do(http.MethodPost, "/workspaces/get", map[string]any{})
	date, err := http.ParseTime(w.Header().Get("Date"))
	if err != nil {
		t.Fatalf("reply Date %q: %v", w.Header().Get("Date"), err)
	}
	if d := date.Sub(e.Now()); d.Abs() > 2*time.Second {
		t.Errorf("reply Date %s is %s off the emulated clock %s", date, d, e.Now())
	}
}
