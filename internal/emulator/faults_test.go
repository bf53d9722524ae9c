package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestFaultInjectionKinds(t *testing.T) {
	e := newEmulator(t, Options{Seed: "demo", FaultRate: 1})
	e.slowReply = 10 * time.Millisecond
	srv, err := serve(e, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	seen := map[string]int{}
	for range 120 {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/devices/list", strings.NewReader(`{}`))
		req.Header.Set("Authorization", "Bearer "+srv.APIKey)
		req.Header.Set("Content-Type", "application/json")
		res, err := client.Do(req)
		if err != nil {
			seen["reset"]++
			continue
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		var out map[string]any
		_ = json.Unmarshal(body, &out)
		kind := str(out, "error", "type")
		switch {
		case res.StatusCode == 200 && out["ok"] == true:
			seen["slow"]++
		case res.StatusCode == 500 && kind == "internal_server_error":
			seen["500"]++
		case res.StatusCode == 502 && kind == "bad_gateway":
			seen["502"]++
		case res.StatusCode == 503 && kind == "service_unavailable":
			seen["503"]++
		case res.StatusCode == 429 && kind == "rate_limited" && res.Header.Get("Retry-After") == "1":
			seen["429"]++
		default:
			t.Fatalf("undeclared fault: %d %v %s", res.StatusCode, res.Header, body)
		}
		if res.Header.Get("seam-request-id") == "" {
			t.Fatal("a fault reply has no seam-request-id")
		}
	}
	for _, kind := range []string{"reset", "slow", "500", "502", "503", "429"} {
		if seen[kind] == 0 {
			t.Errorf("120 calls at FaultRate 1 never produced %s: %v", kind, seen)
		}
	}
	// Control routes never fault.
	for range 20 {
		res, err := client.Get(srv.ControlURL + "/stats")
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("control route faulted: %v %v", res, err)
		}
		res.Body.Close()
	}
	stats := srv.Emulator.Stats()
	if got := stats.Total; got != 120 {
		t.Fatalf("stats counted %d API calls, want 120", got)
	}
	// Every fault is counted by kind, so a fault run can prove which kinds
	// it survived.
	injected := 0
	for _, kind := range faultNames[1:] {
		if stats.Faults["/devices/list"][kind] == 0 {
			t.Errorf("stats count no %s fault: %v", kind, stats.Faults)
		}
		injected += stats.Faults["/devices/list"][kind]
	}
	if injected != 120 {
		t.Errorf("stats count %d faults, want 120 (FaultRate 1)", injected)
	}
}

// A 500 may come after the request was processed: the create happened
// though the client saw an error.
func TestFault500AfterProcessing(t *testing.T) {
	e, c := demo(t, Options{FaultRate: 1})
	e.slowReply = 0
	processed := 0
	for i := range 60 {
		pin := strconv.Itoa(2000 + i)
		w, _ := c.do(http.MethodPost, "/access_codes/create", map[string]any{"device_id": DemoMapleCourtGarageID, "code": pin})
		if w.Code != 500 {
			continue
		}
		e.faults.rate = 0
		if _, out := c.do(http.MethodGet, "/access_codes/get?device_id="+DemoMapleCourtGarageID+"&code="+pin, nil); out["ok"] == true {
			processed++
		}
		e.faults.rate = 1
	}
	if processed == 0 {
		t.Fatal("no 500 ever came after the request was processed")
	}
}
