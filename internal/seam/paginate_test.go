package seam

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// pagedDevices serves n devices in pages of size, with cursors "c1", "c2"...
func pagedDevices(t *testing.T, f *fake, n, size int) {
	f.on("/devices/list", func(w http.ResponseWriter, _ *http.Request, body map[string]any) {
		start := 0
		if cur, ok := body["page_cursor"].(string); ok {
			if _, err := fmt.Sscanf(cur, "c%d", &start); err != nil {
				t.Errorf("unexpected cursor %q", cur)
			}
		}
		var devices []map[string]any
		for i := start; i < min(start+size, n); i++ {
			devices = append(devices, map[string]any{"device_id": fmt.Sprintf("d%d", i), "device_type": DeviceTypeButterflyMXPanel})
		}
		next := start + size
		page := map[string]any{"has_next_page": next < n, "next_page_cursor": nil}
		if next < n {
			page["next_page_cursor"] = fmt.Sprintf("c%d", next)
		}
		writeJSON(w, 200, map[string]any{"devices": devices, "pagination": page, "ok": true})
	})
}

func TestPaginateThreePages(t *testing.T) {
	f := newFake(t)
	pagedDevices(t, f, 5, 2)
	filter := DeviceFilter{
		ConnectedAccountID: "ca1",
		DeviceTypes:        []string{DeviceTypeButterflyMXPanel},
		Manufacturer:       "butterflymx",
		CustomMetadataHas:  Metadata{"site": "hq"},
		Search:             "lobby",
		Limit:              2,
	}
	devices, err := collect(f.client().ListDevices(context.Background(), filter))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range devices {
		ids = append(ids, d.DeviceID)
	}
	if got := strings.Join(ids, ","); got != "d0,d1,d2,d3,d4" {
		t.Errorf("ids = %s", got)
	}
	if f.count("/devices/list") != 3 {
		t.Fatalf("%d requests, want 3", f.count("/devices/list"))
	}
	for i, wantCursor := range []any{nil, "c2", "c4"} {
		b := f.body("/devices/list", i)
		if b["page_cursor"] != wantCursor {
			t.Errorf("page %d: page_cursor = %v, want %v", i, b["page_cursor"], wantCursor)
		}
		// The filters go with every page, or Seam answers mismatched_page_parameters.
		if b["connected_account_id"] != "ca1" || b["manufacturer"] != "butterflymx" || b["search"] != "lobby" ||
			fmt.Sprint(b["limit"]) != "2" || fmt.Sprint(b["device_types"]) != "[butterflymx_panel]" ||
			fmt.Sprint(b["custom_metadata_has"]) != "map[site:hq]" {
			t.Errorf("page %d body = %v", i, b)
		}
	}
}

func TestPaginateEarlyBreak(t *testing.T) {
	f := newFake(t)
	pagedDevices(t, f, 5, 2)
	n := 0
	for d, err := range f.client().ListDevices(context.Background(), DeviceFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if d.DeviceID == "d0" {
			break
		}
	}
	if n != 1 || f.count("/devices/list") != 1 {
		t.Errorf("got %d items over %d requests, want 1 over 1", n, f.count("/devices/list"))
	}
}

func TestPaginateRepeatedCursor(t *testing.T) {
	f := newFake(t)
	f.on("/connected_accounts/list", func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		writeJSON(w, 200, map[string]any{
			"connected_accounts": []map[string]any{{"connected_account_id": "ca"}},
			"pagination":         map[string]any{"has_next_page": true, "next_page_cursor": "same"},
		})
	})
	got, err := collect(f.client().ListConnectedAccounts(context.Background(), ConnectedAccountFilter{}))
	if err == nil || !strings.Contains(err.Error(), "twice") {
		t.Fatalf("err = %v, want a repeated-cursor error", err)
	}
	if len(got) != 2 || f.count("/connected_accounts/list") != 2 {
		t.Errorf("got %d items over %d requests, want 2 over 2", len(got), f.count("/connected_accounts/list"))
	}
}

func TestPaginateMissingPaginationIsLastPage(t *testing.T) {
	f := newFake(t)
	f.onOK("/access_codes/list", "access_codes", []map[string]any{{"access_code_id": "a1"}, {"access_code_id": "a2"}})
	codes, err := collect(f.client().ListAccessCodes(context.Background(), AccessCodeFilter{DeviceID: "d1"}))
	if err != nil || len(codes) != 2 {
		t.Fatalf("codes = %v, err = %v", codes, err)
	}
	if f.count("/access_codes/list") != 1 {
		t.Errorf("%d requests", f.count("/access_codes/list"))
	}
}

func TestPaginateBadReplies(t *testing.T) {
	cases := map[string]map[string]any{
		"next page without cursor": {"connect_webviews": []any{}, "pagination": map[string]any{"has_next_page": true}},
		"items key missing":        {"ok": true},
		"items not a list":         {"connect_webviews": "nope"},
		"pagination not an object": {"connect_webviews": []any{}, "pagination": 7},
	}
	for name, reply := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			f.on("/connect_webviews/list", func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
				writeJSON(w, 200, reply)
			})
			if _, err := collect(f.client().ListConnectWebviews(context.Background(), ConnectWebviewFilter{})); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func TestPaginateErrorStops(t *testing.T) {
	f := newFake(t)
	f.on("/access_codes/unmanaged/list", func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		seamError(w, 404, "device_not_found", "no device")
	})
	var errs int
	for _, err := range f.client().ListUnmanagedAccessCodes(context.Background(), "d1", 0) {
		if !IsNotFound(err) {
			t.Fatalf("err = %v", err)
		}
		errs++
	}
	if errs != 1 {
		t.Errorf("yielded %d errors, want 1", errs)
	}
}

// MaxPageSize caps the page a list asks for, whether the caller gave a
// larger limit or none, and leaves a smaller one alone.
func TestPaginateMaxPageSize(t *testing.T) {
	for _, tc := range []struct {
		limit, want int
	}{{0, 2}, {500, 2}, {1, 1}} {
		f := newFake(t)
		pagedDevices(t, f, 5, 2)
		c := f.client(func(c *Config) { c.MaxPageSize = 2 })
		if _, err := collect(c.ListDevices(context.Background(), DeviceFilter{Limit: tc.limit})); err != nil {
			t.Fatal(err)
		}
		for i := range f.count("/devices/list") {
			if got := fmt.Sprint(f.body("/devices/list", i)["limit"]); got != fmt.Sprint(tc.want) {
				t.Errorf("limit %d: page %d asked for limit %s, want %d", tc.limit, i, got, tc.want)
			}
		}
	}
}
