package seam

import (
	"encoding/json"
	"testing"
)

// A device's time zone is read from time_zone first, and from the
// deprecated timezone when a reply carries only that.
func TestLocationZonePrefersTimeZone(t *testing.T) {
	for raw, want := range map[string]string{
		`{"time_zone":"Europe/Paris","timezone":"America/New_York"}`: "Europe/Paris",
		`{"time_zone":"Europe/Paris"}`:                               "Europe/Paris",
		`{"timezone":"America/New_York"}`:                            "America/New_York",
		`{}`:                                                         "",
	} {
		var l Location
		if err := json.Unmarshal([]byte(raw), &l); err != nil {
			t.Fatal(err)
		}
		if got := l.Zone(); got != want {
			t.Errorf("%s: Zone() = %q, want %q", raw, got, want)
		}
	}
}
