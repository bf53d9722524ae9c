package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// receiver records the deliveries it gets; it fails the first failFirst.
type receiver struct {
	mu        sync.Mutex
	failFirst int
	got       []receivedHook
}

type receivedHook struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T, failFirst int) (*receiver, string) {
	r := &receiver{failFirst: failFirst}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.got = append(r.got, receivedHook{req.Header.Clone(), body})
		if len(r.got) <= r.failFirst {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(srv.Close)
	return r, srv.URL + "/hook"
}

// waitDeliveries waits until n deliveries are no longer pending.
func waitDeliveries(t *testing.T, e *Emulator, n int) []Delivery {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ds := e.Deliveries()
		done := 0
		for _, d := range ds {
			if d.Status != "pending" {
				done++
			}
		}
		if done >= n {
			return ds
		}
		if time.Now().After(deadline) {
			t.Fatalf("deliveries did not finish: %+v", ds)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestWebhookRoutes(t *testing.T) {
	_, c := demo(t, Options{})
	hook := c.ok("/webhooks/create", map[string]any{"url": "http://127.0.0.1:9/in"})["webhook"]
	id := str(hook, "webhook_id")
	if types := dig(hook, "event_types").([]any); len(types) != 1 || types[0] != "*" {
		t.Errorf("default event_types = %v, want [*]", types)
	}
	if s := str(hook, "secret"); !strings.HasPrefix(s, "whsec_") {
		t.Errorf("secret = %q, want whsec_<base64>", s)
	}
	c.ok("/webhooks/update", map[string]any{"webhook_id": id, "event_types": []string{"device.connected"}})
	got := c.ok("/webhooks/get", map[string]any{"webhook_id": id})["webhook"]
	if types := dig(got, "event_types").([]any); len(types) != 1 || types[0] != "device.connected" {
		t.Errorf("event_types after update = %v", types)
	}
	if l := list(c.ok("/webhooks/list", nil), "webhooks"); len(l) != 1 {
		t.Errorf("list = %v", l)
	}
	c.fail("/webhooks/update", map[string]any{"webhook_id": id}, 400, "invalid_input")
	c.fail("/webhooks/create", map[string]any{"url": "not a url"}, 400, "invalid_input")
	c.fail("/webhooks/create", map[string]any{}, 400, "invalid_input")
	c.ok("/webhooks/delete", map[string]any{"webhook_id": id})
	c.fail("/webhooks/get", map[string]any{"webhook_id": id}, 404, "webhook_not_found")
}

// A code set on a panel is delivered, signed with the webhook's secret the
// Svix way, to the webhooks that subscribe to it and to no other.
func TestWebhookDeliversSignedEvents(t *testing.T) {
	e, c := demo(t, Options{})
	rec, u := newReceiver(t, 0)
	_, other := newReceiver(t, 0)
	secret := str(c.ok("/webhooks/create", map[string]any{"url": u, "event_types": []string{"access_code.set_on_device"}})["webhook"], "secret")
	c.ok("/webhooks/create", map[string]any{"url": other, "event_types": []string{"lock.unlocked"}})
	code := c.ok("/access_codes/create", map[string]any{"device_id": DemoMapleCourtGarageID, "code": "4821"})["access_code"]
	ds := waitDeliveries(t, e, 1)
	if len(ds) != 1 || ds[0].Status != "delivered" || ds[0].Attempts != 1 || ds[0].EventType != "access_code.set_on_device" {
		t.Fatalf("deliveries = %+v", ds)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	h := rec.got[0]
	var ev map[string]any
	if err := json.Unmarshal(h.body, &ev); err != nil || ev["access_code_id"] != str(code, "access_code_id") || ev["device_id"] != DemoMapleCourtGarageID {
		t.Fatalf("event = %s (%v)", h.body, err)
	}
	key, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(h.header.Get("svix-id") + "." + h.header.Get("svix-timestamp") + "." + string(h.body)))
	if want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)); h.header.Get("svix-signature") != want {
		t.Errorf("svix-signature = %q, want %q", h.header.Get("svix-signature"), want)
	}
}

// A receiver that fails gets the same message again, later, until it
// accepts it; one that always fails ends failed after the last attempt.
func TestWebhookRetriesFailedDelivery(t *testing.T) {
	e, c := demo(t, Options{WebhookRetryBase: 20 * time.Millisecond, WebhookAttempts: 3})
	rec, u := newReceiver(t, 2)
	c.ok("/webhooks/create", map[string]any{"url": u, "event_types": []string{"device.disconnected"}})
	if err := e.UpdateDevice(DemoMapleCourtGarageID, DeviceChange{Online: new(false)}); err != nil {
		t.Fatal(err)
	}
	ds := waitDeliveries(t, e, 1)
	if ds[0].Status != "delivered" || ds[0].Attempts != 3 {
		t.Fatalf("delivery = %+v, want delivered on the third attempt", ds[0])
	}
	rec.mu.Lock()
	ids := []string{rec.got[0].header.Get("svix-id"), rec.got[2].header.Get("svix-id")}
	rec.mu.Unlock()
	if ids[0] != ids[1] || ids[0] != ds[0].MessageID {
		t.Errorf("svix-id changed between attempts: %v", ids)
	}

	_, always := newReceiver(t, 100)
	c.ok("/webhooks/create", map[string]any{"url": always, "event_types": []string{"device.connected"}})
	if err := e.UpdateDevice(DemoMapleCourtGarageID, DeviceChange{Online: new(true)}); err != nil {
		t.Fatal(err)
	}
	ds = waitDeliveries(t, e, 2)
	if last := ds[1]; last.Status != "failed" || last.Attempts != 3 || last.LastStatus != 503 {
		t.Errorf("delivery to a failing receiver = %+v", last)
	}
}

// The API answers while a receiver hangs, and a non-loopback URL is never
// contacted unless allowed.
func TestWebhookDeliveryNeverBlocksAndStaysLocal(t *testing.T) {
	hang := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-hang }))
	defer slow.Close()
	defer close(hang)
	e, c := demo(t, Options{WebhookRetryBase: time.Hour})
	c.ok("/webhooks/create", map[string]any{"url": slow.URL})
	c.ok("/webhooks/create", map[string]any{"url": "http://192.0.2.1/in"})
	start := time.Now()
	if err := e.UpdateDevice(DemoMapleCourtGarageID, DeviceChange{Online: new(false)}); err != nil {
		t.Fatal(err)
	}
	c.ok("/devices/list", nil)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the API took %v while a receiver hung", d)
	}
	var refused int
	for _, d := range e.Deliveries() {
		if d.URL == "http://192.0.2.1/in" {
			refused++
			if d.Status != "refused" || d.Attempts != 0 {
				t.Errorf("delivery to a non-loopback URL = %+v, want refused without an attempt", d)
			}
		}
	}
	if refused == 0 {
		t.Error("no delivery recorded for the non-loopback webhook")
	}
	e.Reset()
	if ds := e.Deliveries(); len(ds) != 0 {
		t.Errorf("deliveries after Reset: %+v", ds)
	}
	if !loopbackURL("http://[::1]:80/x") || !loopbackURL("http://localhost/x") || loopbackURL("http://127.0.0.1.example/x") {
		t.Error("loopbackURL misjudges")
	}
}

// Webhooks survive a state file; deliveries list through the control route.
func TestWebhookStateAndControlRoute(t *testing.T) {
	path := t.TempDir() + "/state.json"
	e := newEmulator(t, Options{Seed: "demo", StateFile: path})
	c := apiClient(t, e, DefaultAPIKey)
	id := str(c.ok("/webhooks/create", map[string]any{"url": "http://127.0.0.1:9/in"})["webhook"], "webhook_id")
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	e2 := newEmulator(t, Options{Seed: "demo", StateFile: path})
	apiClient(t, e2, DefaultAPIKey).ok("/webhooks/get", map[string]any{"webhook_id": id})
	r := httptest.NewRequest(http.MethodGet, "/_emulator/webhooks/deliveries", nil)
	r.RemoteAddr, r.Host = "127.0.0.1:1", "127.0.0.1"
	w := httptest.NewRecorder()
	e2.ServeHTTP(w, r)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"deliveries"`) {
		t.Errorf("control route: %d %s", w.Code, w.Body)
	}
}
