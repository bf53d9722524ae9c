package emulator

import (
	"bytes"
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

var webhookKind = kind{
	name: "webhook",
	routes: map[string]route{
		"/webhooks/create": {methods: post, handle: (*Emulator).webhooksCreate},
		"/webhooks/get":    {methods: read, handle: (*Emulator).webhooksGet},
		"/webhooks/list":   {methods: read, handle: (*Emulator).webhooksList},
		"/webhooks/update": {methods: post, handle: (*Emulator).webhooksUpdate},
		"/webhooks/delete": {methods: remove, handle: (*Emulator).webhooksDelete},
	},
	load: loadWebhooks,
	save: func(s *store, doc *stateDoc) { doc.Webhooks = sorted(s.webhooks, nil) },
}

// The record.

type webhook struct {
	WebhookID   string    `json:"webhook_id"`
	WorkspaceID string    `json:"workspace_id"`
	URL         string    `json:"url"`
	EventTypes  []string  `json:"event_types"`
	Secret      string    `json:"secret"`
	CreatedAt   time.Time `json:"created_at"`
	seq         int64
}

func (r *webhook) order() orderKey { return orderKey{r.CreatedAt, r.seq} }

// wants says whether the webhook subscribes to eventType ("*": every one).
func (r *webhook) wants(eventType string) bool {
	return slices.Contains(r.EventTypes, "*") || slices.Contains(r.EventTypes, eventType)
}

type webhookViewT struct {
	WebhookID  string   `json:"webhook_id"`
	URL        string   `json:"url"`
	EventTypes []string `json:"event_types"`
	Secret     string   `json:"secret"`
}

func webhookView(w *webhook) webhookViewT {
	return webhookViewT{w.WebhookID, w.URL, w.EventTypes, w.Secret}
}

// newWebhookSecret is a Svix signing secret: whsec_ and 24 random bytes in
// base64, the key being the decoded bytes.
func newWebhookSecret() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return "whsec_" + base64.StdEncoding.EncodeToString(b[:])
}

// Routes.

func (e *Emulator) webhooksCreate(c *call) (reply, error) {
	p := c.p
	raw := p.requiredString("url")
	types, hasTypes := p.strings("event_types")
	if err := p.err(); err != nil {
		return nil, err
	}
	if u, err := url.Parse(raw); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, invalidInput("url", "url must be an absolute http or https URL")
	}
	if !hasTypes {
		types = []string{"*"}
	}
	w := &webhook{WebhookID: newID(), WorkspaceID: c.ws.WorkspaceID, URL: raw, EventTypes: types,
		Secret: newWebhookSecret(), CreatedAt: c.now.Truncate(time.Millisecond), seq: e.nextSeq()}
	e.webhooks[w.WebhookID] = w
	return reply{"webhook": webhookView(w)}, nil
}

func (e *Emulator) webhook(c *call) (*webhook, error) {
	id := c.p.requiredString("webhook_id")
	if err := c.p.err(); err != nil {
		return nil, err
	}
	if w := e.webhooks[id]; w != nil && w.WorkspaceID == c.ws.WorkspaceID {
		return w, nil
	}
	return nil, notFound("webhook")
}

func (e *Emulator) webhooksGet(c *call) (reply, error) {
	w, err := e.webhook(c)
	if err != nil {
		return nil, err
	}
	return reply{"webhook": webhookView(w)}, nil
}

func (e *Emulator) webhooksList(c *call) (reply, error) {
	all := sorted(e.webhooks, func(w *webhook) bool { return w.WorkspaceID == c.ws.WorkspaceID })
	return reply{"webhooks": mapSlice(all, webhookView)}, nil
}

// webhooksUpdate changes event_types, which Seam requires; nothing else
// of a webhook can change.
func (e *Emulator) webhooksUpdate(c *call) (reply, error) {
	types, hasTypes := c.p.strings("event_types")
	w, err := e.webhook(c)
	if err != nil {
		return nil, err
	}
	if !hasTypes {
		return nil, invalidInput("event_types", "event_types is required")
	}
	w.EventTypes = types
	return reply{}, nil
}

func (e *Emulator) webhooksDelete(c *call) (reply, error) {
	w, err := e.webhook(c)
	if err != nil {
		return nil, err
	}
	delete(e.webhooks, w.WebhookID)
	return reply{}, nil
}

func loadWebhooks(l *loader, doc *stateDoc) error {
	for _, w := range doc.Webhooks {
		if err := l.inWorkspace(&w.WorkspaceID, "webhook "+w.WebhookID); err != nil {
			return err
		}
		if w.WebhookID == "" {
			w.WebhookID = newID()
		}
		if w.Secret == "" {
			w.Secret = newWebhookSecret()
		}
		if len(w.EventTypes) == 0 {
			w.EventTypes = []string{"*"}
		}
		l.stamp(&w.CreatedAt)
		w.seq = l.s.nextSeq()
		l.s.webhooks[w.WebhookID] = w
	}
	return nil
}

// Delivery. Each event the emulator records goes, as Seam sends it, to
// every webhook of its workspace that subscribes to its type: a POST of the
// event as JSON, signed the Svix way, from a goroutine of its own so the
// API never waits, tried again with doubling delays while the receiver
// fails. Only loopback receivers are reached unless
// Options.WebhookAnyHost: an emulator must not be a way to make requests
// into a network.

// Delivery is one event sent to one webhook, as the control route lists it.
type Delivery struct {
	MessageID  string `json:"message_id"` // svix-id; the same on every attempt
	WebhookID  string `json:"webhook_id"`
	EventID    string `json:"event_id"`
	EventType  string `json:"event_type"`
	URL        string `json:"url"`
	Attempts   int    `json:"attempts"`
	Status     string `json:"status"` // pending, delivered, failed, refused
	LastStatus int    `json:"last_http_status,omitempty"`
	LastError  string `json:"last_error,omitempty"`
}

// deliverer sends deliveries and keeps their records; it has its own lock,
// so that senders never take the emulator's.
type deliverer struct {
	anyHost  bool
	base     time.Duration // the first retry's delay
	attempts int           // attempts before a delivery is failed
	client   *http.Client
	ctx      context.Context
	stop     context.CancelFunc
	wg       sync.WaitGroup

	mu   sync.Mutex
	list []*Delivery
}

func newDeliverer(opts Options) *deliverer {
	ctx, stop := context.WithCancel(context.Background())
	return &deliverer{
		anyHost: opts.WebhookAnyHost, base: cmp.Or(opts.WebhookRetryBase, time.Second), attempts: cmp.Or(opts.WebhookAttempts, 5),
		client: &http.Client{Timeout: 10 * time.Second,
			// A loopback receiver must not redirect a delivery elsewhere.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		ctx: ctx, stop: stop,
	}
}

// publish records an event and starts its deliveries. Called under e.mu.
func (e *Emulator) publish(ev *event) {
	body, _ := json.Marshal(eventView(ev))
	for _, w := range sorted(e.webhooks, func(w *webhook) bool { return w.WorkspaceID == ev.WorkspaceID && w.wants(ev.EventType) }) {
		d := &Delivery{MessageID: "msg_" + strings.ReplaceAll(newID(), "-", ""), WebhookID: w.WebhookID,
			EventID: ev.EventID, EventType: ev.EventType, URL: w.URL, Status: "pending"}
		e.hooks.start(d, w.Secret, body)
	}
}

// maxDeliveries bounds the deliveries listed, like maxEvents.
const maxDeliveries = 10_000

func (h *deliverer) start(d *Delivery, secret string, body []byte) {
	h.mu.Lock()
	if len(h.list) >= maxDeliveries {
		h.list = slices.Delete(h.list, 0, maxDeliveries/10)
	}
	h.list = append(h.list, d)
	h.mu.Unlock()
	if !h.anyHost && !loopbackURL(d.URL) {
		h.locked(func() {
			d.Status, d.LastError = "refused", "not a loopback URL (the emulator delivers to other hosts only with --webhook-any-host)"
		})
		return
	}
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		h.send(d, secret, body)
	}()
}

// send tries a delivery until it succeeds, attempts run out or the
// emulator closes.
func (h *deliverer) send(d *Delivery, secret string, body []byte) {
	delay := h.base
	for n := 1; ; n++ {
		status, err := h.post(d, secret, body)
		ok := err == nil && status >= 200 && status < 300
		h.locked(func() {
			d.Attempts, d.LastStatus, d.LastError = n, status, ""
			if err != nil {
				d.LastError = err.Error()
			}
			switch {
			case ok:
				d.Status = "delivered"
			case n >= h.attempts:
				d.Status = "failed"
			}
		})
		if ok || n >= h.attempts {
			return
		}
		select {
		case <-h.ctx.Done():
			return
		case <-time.After(delay):
		}
		delay *= 2
	}
}

func (h *deliverer) post(d *Delivery, secret string, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(h.ctx, http.MethodPost, d.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	// Svix checks the timestamp against real time, whatever the emulated clock says.
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("svix-id", d.MessageID)
	req.Header.Set("svix-timestamp", stamp)
	req.Header.Set("svix-signature", svixSignature(secret, d.MessageID, stamp, body))
	resp, err := h.client.Do(req)
	if err != nil {
		return 0, err
	}
	_ = resp.Body.Close() // the status is the answer; the body is not read
	return resp.StatusCode, nil
}

// svixSignature is "v1," and the base64 HMAC-SHA256 of "id.timestamp.body",
// keyed by the secret's decoded bytes.
func svixSignature(secret, id, stamp string, body []byte) string {
	key, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%s.", id, stamp)
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// locked runs f, a change to a delivery, under the deliverer's lock, so
// Deliveries reads whole records.
func (h *deliverer) locked(f func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f()
}

// Deliveries lists every delivery so far, oldest first, as copies.
func (e *Emulator) Deliveries() []Delivery {
	h := e.hooks
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]Delivery, len(h.list))
	for i, d := range h.list {
		out[i] = *d
	}
	return out
}

// forget drops the listed deliveries (Reset); those under way go on.
func (h *deliverer) forget() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.list = nil
}

// close stops retries and waits for the senders.
func (h *deliverer) close() {
	h.stop()
	h.wg.Wait()
}

// loopbackURL says whether raw names this machine: a loopback address or
// localhost. Other names are refused, whatever they resolve to.
func loopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
