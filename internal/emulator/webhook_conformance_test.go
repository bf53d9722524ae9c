package emulator

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestConformanceWebhookVerifies: the emulator's deliveries, a retried one
// among them, pass Seam's own verifier (npm @seamapi/webhook in
// conformance/), and fail it with another webhook's secret. It needs node
// and conformance/node_modules; scripts/conformance.sh sets
// SEAM_WEBHOOK_CONFORMANCE=1 so that it cannot skip there.
func TestConformanceWebhookVerifies(t *testing.T) {
	dir, _ := filepath.Abs(filepath.Join("..", "..", "conformance"))
	_, statErr := os.Stat(filepath.Join(dir, "node_modules", "@seamapi", "webhook"))
	if _, err := exec.LookPath("node"); err != nil || statErr != nil {
		if os.Getenv("SEAM_WEBHOOK_CONFORMANCE") != "" {
			t.Fatalf("node or conformance/node_modules missing (run npm ci in conformance/): %v %v", err, statErr)
		}
		t.Skip("needs node and npm ci in conformance/")
	}
	url := startReceiver(t, dir)

	e, c := demo(t, Options{WebhookRetryBase: 50 * time.Millisecond})
	secret := str(c.ok("/webhooks/create", map[string]any{"url": url + "/hook",
		"event_types": []string{"access_code.set_on_device", "device.disconnected"}})["webhook"], "secret")
	other := str(c.ok("/webhooks/create", map[string]any{"url": "http://127.0.0.1:9/unused", "event_types": []string{"lock.locked"}})["webhook"], "secret")
	c.ok("/access_codes/create", map[string]any{"device_id": DemoMapleCourtGarageID, "code": "5823"})
	waitDeliveries(t, e, 1)
	if err := e.UpdateDevice(DemoMapleCourtGarageID, DeviceChange{Online: new(false)}); err != nil {
		t.Fatal(err)
	}
	ds := waitDeliveries(t, e, 2)
	if ds[0].Attempts != 2 || ds[0].Status != "delivered" {
		t.Errorf("first delivery = %+v, want delivered on its second attempt", ds[0])
	}

	results := verifyAt(t, url, secret)
	if len(results) != 3 { // the refused first attempt, its retry, the disconnect
		t.Fatalf("the receiver got %d deliveries, want 3: %+v", len(results), results)
	}
	for _, r := range results {
		if r["ok"] != true {
			t.Errorf("@seamapi/webhook rejected a delivery: %v", r)
		}
	}
	for _, r := range verifyAt(t, url, other) {
		if r["ok"] == true {
			t.Errorf("a delivery verified with another webhook's secret: %v", r)
		}
	}
}

// startReceiver runs conformance/webhook-receiver.mjs and returns its URL.
func startReceiver(t *testing.T, dir string) string {
	t.Helper()
	cmd := exec.Command("node", "webhook-receiver.mjs")
	cmd.Dir = dir
	stdin, _ := cmd.StdinPipe() // closing it ends the receiver
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); _ = cmd.Wait() })
	var ready struct{ URL string }
	line, err := bufio.NewReader(out).ReadBytes('\n')
	if err != nil || json.Unmarshal(line, &ready) != nil || ready.URL == "" {
		t.Fatalf("no ready line from the receiver: %q %v", line, err)
	}
	return ready.URL
}

func verifyAt(t *testing.T, url, secret string) []map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"secret": secret})
	resp, err := http.Post(url+"/verify", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}
