package seam

import (
	"slices"
	"strings"
	"testing"
)

// The generated list is the pinned spec's (scripts/conformance.sh compares
// it with the package); this checks its shape offline.
func TestEventTypesGenerated(t *testing.T) {
	if len(EventTypes) != 109 {
		t.Errorf("%d event types, the pinned spec lists 109", len(EventTypes))
	}
	if !slices.IsSorted(EventTypes) || len(slices.Compact(slices.Clone(EventTypes))) != len(EventTypes) {
		t.Error("EventTypes must be sorted and without duplicates")
	}
	for _, want := range []string{"access_code.set_on_device", "access_code.removed_from_device", "device.connected", "device.disconnected", "connected_account.disconnected", "lock.unlocked"} {
		if !slices.Contains(EventTypes, want) {
			t.Errorf("EventTypes lacks %s", want)
		}
	}
	for _, et := range EventTypes {
		if !strings.Contains(et, ".") {
			t.Errorf("event type %q has no object prefix", et)
		}
	}
}
