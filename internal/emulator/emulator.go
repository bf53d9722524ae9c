// Package emulator is an in-memory Seam API, as a ButterflyMX integration
// sees it, plus the ButterflyMX OAuth endpoints.
//
// It is the default backend of the provider's quickstart, of its acceptance
// tests (which run it in-process), of the benchmarks and of users' own CI. It
// follows the repository's facts about Seam (SEAM_FACTS.md), not
// Seam's own fake, whose known bugs it deliberately does not copy.
//
// The emulator knows nothing of the provider: it has its own wire structs.
//
// Layout, one concern per file. Each kind's file declares the kind (kind in
// kinds.go): its routes and seed/state hooks, next to its handlers.
//
//	kinds.go               the registered kinds: their routes, record maps, state fields
//	server.go              routing (the kinds' routes), auth, envelopes, Start/Server
//	workspaces.go          workspaces/* routes
//	params.go              reading a request's parameters (JSON body or query)
//	clock.go               the emulated clock and the timer queue
//	store.go               the records the emulator keeps, and lookups
//	devices.go             devices, device types, devices/* routes
//	connected_accounts.go  connected_accounts/* routes
//	webviews.go            connect_webviews/* routes and the login page
//	access_codes.go        access_codes/* routes and views
//	access_codes_multiple.go  create_multiple, update_multiple
//	access_code_lifecycle.go  the lifecycle state machine: settle, program, removal, retries
//	access_code_checks.go  PIN, name and schedule rules, PIN generation
//	actions.go             action attempts and locks/* routes
//	events.go              the events it produces, events/list
//	webhooks.go            webhooks/* routes and the delivery of events to them
//	partner.go             workspace credential vault, connected_accounts/create
//	oauth.go               the ButterflyMX OAuth authorization server
//	control.go             /_emulator/* routes and the same operations as methods
//	seed.go                the demo seed and the seed/state file format
//	pagination.go          cursors
//	faults.go, ratelimit.go
//
// Time: every lifecycle runs on an emulated clock (Options.TimeScale,
// AdvanceClock), so tests step through "setting -> set -> removing -> gone"
// without sleeping. Transitions are kept in a timer queue and applied at the
// start of each request, so no goroutine runs in the background, except
// webhook deliveries: they are sent from goroutines of their own so that
// a slow receiver never holds up the API (Close stops them).
//
// Concurrency: one mutex guards the whole world. Sleeps (latency, slow
// faults) happen outside it.
package emulator

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"sync"
	"time"
)

// Options configures an Emulator. The zero value is one empty workspace,
// immediate programming, real time, no faults and no rate limits.
type Options struct {
	// Seed is the starting world: "" for one empty workspace, "demo" for the
	// demo buildings (seed.go), or the path of a JSON seed file (same format
	// as StateFile, documented in seed.go).
	Seed string
	// Latency is added to every API reply (not to control routes).
	Latency time.Duration
	// FaultRate (0..1) is the fraction of API calls that fail; faults.go
	// lists the kinds. Control and OAuth routes never fault.
	FaultRate float64
	// SlowReply is how long the slow-reply fault holds a reply (2 s when
	// zero); fault runs set it above the client's request timeout.
	SlowReply time.Duration
	// RateLimit turns on Seam's per-device limits (ratelimit.go).
	RateLimit bool
	// SetDelay is the emulated time Seam's asynchronous work takes: a code
	// goes from setting to set, an action attempt from pending to done, an
	// unmanaged code is converted, and a new account's panels appear (its
	// first sync) after it. A deleted code leaves the panel SetDelay after
	// its action attempt succeeds, as Seam's removal lags the attempt. 0
	// makes all of these immediate.
	SetDelay time.Duration
	// RemovalLag keeps a deleted code (status removing) this much longer
	// after its DELETE_ACCESS_CODE attempt succeeded, on top of SetDelay, as
	// on real Seam, where the panel confirms the removal later. A time-bound
	// code past its ends_at stays removing as long before Seam deletes it.
	RemovalLag time.Duration
	// PendingDelay, when set, keeps an update of a set code pending this
	// long while the code stays set (pending_mutations lists the change; the
	// old PIN may still open the door), instead of re-programming it
	// (setting) for SetDelay. Seam documents neither; clients must survive
	// both (access_code_mutations.go).
	PendingDelay time.Duration
	// PINAssignDelay, when set, shows a PIN Seam generates (a create without
	// code) only this long after the create: until then the code reads
	// code null and is_waiting_for_code_assignment true. Seam's spec allows
	// both and documents no delay (SEAM_FACTS.md §4); by default the PIN
	// shows at once.
	PINAssignDelay time.Duration
	// DuplicatePINConflict refuses a create or update whose PIN another code
	// on the panel holds with a synchronous 409 duplicate_access_code, as
	// Seam's fake does. By default the write is accepted and the code ends
	// unset with the error duplicate_code_on_device, the only way Seam's
	// spec describes a duplicate PIN.
	DuplicatePINConflict bool
	// UnconfirmedUnlock makes UNLOCK_DOOR attempts succeed with
	// was_confirmed_by_device false: Seam sent the unlock, the panel did not
	// confirm it.
	UnconfirmedUnlock bool
	// Seam's docs say that unmanaging a device turns its managed access
	// codes into unmanaged ones; they stay unmanaged when the device is
	// managed again. UnmanageHidesCodes is the other reading, which Seam's
	// spec does not rule out: the codes stay managed records, shown by no
	// route while the device is unmanaged and managed again with it.
	UnmanageHidesCodes bool
	// UnmanagedDeviceCodesReadable lets /access_codes/unmanaged/get, list
	// and delete reach the codes of an unmanaged device. Seam's spec is
	// silent; by default they answer 404, as for a device Seam does not
	// control.
	UnmanagedDeviceCodesReadable bool
	// TimeScale is the emulated clock's speed; 0 or 1 is real time, 60 makes
	// one real second an emulated minute.
	TimeScale float64
	// IgnoreCommonCodeKey drops a common_code_key that a caller passes to
	// /access_codes/create, as a Seam may: only create_multiple is
	// documented to assign keys. The codes are then linked by nothing.
	IgnoreCommonCodeKey bool
	// StateFile, when set, is loaded at start if it exists (instead of Seed)
	// and written by Close.
	StateFile string
	// AllowHosts are host names (no port) that requests may name in Host
	// besides loopback names and addresses and the listen address.
	AllowHosts []string
	// WebhookAnyHost lets webhooks deliver to any URL; by default only
	// loopback URLs are reached and other deliveries are refused.
	WebhookAnyHost bool
	// WebhookRetryBase is the delay before a failed delivery's second
	// attempt (1 s when zero), doubled for each attempt after it.
	WebhookRetryBase time.Duration
	// WebhookAttempts is how many times a delivery is tried (5 when zero).
	WebhookAttempts int
}

// Emulator is the emulated Seam API. It is an http.Handler serving the API,
// the /_emulator/ control routes and /butterflymx/oauth/*. Use New for an
// in-process handler or Start for a real listener.
type Emulator struct {
	opts   Options
	seed   []byte      // the seed document, decoded afresh by Reset
	faults faultPicker // has its own lock: it is consulted before e.mu is taken

	mu     sync.Mutex // guards everything below
	clock  clock
	*store // the world; replaced wholesale by Reset
	limits rateLimiter
	stats  Stats
	oauth  oauthServer
	pins   *rand.Rand // generates PINs; seeded so that runs repeat
	hooks  *deliverer // webhook deliveries; its own lock
	closed bool

	// listenHost is the listener's host when it is a specific address (set
	// by serve before it serves, read-only after): a Host it may carry.
	listenHost  string
	slowReply   time.Duration // how long the "slow reply" fault stalls; tests shorten it
	readTimeout time.Duration // how long a request may take to arrive, body included; tests shorten it
}

// New returns an emulator loaded with opts.Seed, or with opts.StateFile when
// that file exists.
func New(opts Options) (*Emulator, error) {
	switch {
	case opts.FaultRate < 0 || opts.FaultRate > 1:
		return nil, fmt.Errorf("emulator: FaultRate must be between 0 and 1, got %v", opts.FaultRate)
	case opts.TimeScale < 0:
		return nil, fmt.Errorf("emulator: TimeScale must not be negative, got %v", opts.TimeScale)
	case opts.SetDelay < 0 || opts.Latency < 0 || opts.RemovalLag < 0 || opts.PendingDelay < 0:
		return nil, errors.New("emulator: SetDelay, RemovalLag, PendingDelay and Latency must not be negative")
	}
	seed, err := loadSeed(opts.Seed)
	if err != nil {
		return nil, err
	}
	e := &Emulator{
		opts:        opts,
		seed:        seed,
		faults:      newFaultPicker(opts.FaultRate),
		clock:       newClock(opts.TimeScale),
		limits:      rateLimiter{windows: map[string][]time.Time{}},
		stats:       Stats{Calls: map[string]int{}},
		oauth:       newOAuthServer(),
		pins:        rand.New(rand.NewPCG(0x5eed, 0xb077)),
		hooks:       newDeliverer(opts),
		slowReply:   cmp.Or(opts.SlowReply, 2*time.Second),
		readTimeout: time.Minute,
	}
	start := seed
	if opts.StateFile != "" {
		b, err := os.ReadFile(opts.StateFile)
		switch {
		case err == nil:
			start = b
		case !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("emulator: reading state: %w", err)
		}
	}
	st, savedNow, err := e.loadStore(start)
	if err != nil {
		return nil, err
	}
	// A saved state remembers an advanced clock; never go back in time.
	if savedNow != nil {
		if ahead := savedNow.Sub(e.clock.now()); ahead > 0 {
			e.clock.advance(ahead)
		}
	}
	e.store = st
	e.settle(e.clock.now())
	return e, nil
}

// Close writes the state file, if one was configured. It does not stop a
// listener: Server.Close does that and then calls Close.
func (e *Emulator) Close() error {
	e.hooks.close()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed || e.opts.StateFile == "" {
		e.closed = true
		return nil
	}
	e.closed = true
	b, err := e.saveStore()
	if err != nil {
		return err
	}
	// Write then rename, so a crash never leaves half a state file.
	tmp := e.opts.StateFile + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("emulator: saving state: %w", err)
	}
	return os.Rename(tmp, e.opts.StateFile)
}

// Now is the emulated clock's current time.
func (e *Emulator) Now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.clock.now()
}

// AdvanceClock moves the emulated clock forward by d and applies every
// transition that became due (codes set, expired, removed...).
func (e *Emulator) AdvanceClock(d time.Duration) {
	if d <= 0 {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.clock.advance(d)
	e.settle(e.clock.now())
}

// Reset puts the world back to the seed: objects, rate-limit windows, OAuth
// codes. The clock keeps running (time does not go back) and Stats are kept
// (ResetStats clears them).
func (e *Emulator) Reset() {
	e.mu.Lock()
	defer e.mu.Unlock()
	st, _, err := e.loadStore(e.seed)
	if err != nil {
		panic("emulator: the seed loaded at start no longer loads: " + err.Error())
	}
	e.store = st
	e.hooks.forget()
	e.limits = rateLimiter{windows: map[string][]time.Time{}}
	e.oauth = newOAuthServer()
	e.settle(e.clock.now())
}

// Stats counts API calls per route (the path, e.g. "/access_codes/create").
// Control and OAuth routes are not counted in Calls. Writes counts every
// request that may change something, whatever its outcome: the API's write
// routes (route.writes), the OAuth token exchange and the webview login, so
// a test can prove that nothing was attempted.
type Stats struct {
	Total  int            `json:"total"`
	Calls  map[string]int `json:"calls"`
	Writes int            `json:"writes"`
	// RateLimited counts the calls refused by Seam's per-device limits
	// (--rate-limit seam), not injected faults.
	RateLimited int `json:"rate_limited"`
	// Faults counts the injected faults per route and kind (faultNames).
	Faults map[string]map[string]int `json:"faults,omitempty"`
}

// Stats returns a copy of the call counters.
func (e *Emulator) Stats() Stats {
	e.mu.Lock()
	defer e.mu.Unlock()
	calls := make(map[string]int, len(e.stats.Calls))
	for k, v := range e.stats.Calls {
		calls[k] = v
	}
	faults := make(map[string]map[string]int, len(e.stats.Faults))
	for route, kinds := range e.stats.Faults {
		faults[route] = maps.Clone(kinds)
	}
	return Stats{Total: e.stats.Total, Calls: calls, Writes: e.stats.Writes, RateLimited: e.stats.RateLimited, Faults: faults}
}

// ResetStats sets the call counters back to zero.
func (e *Emulator) ResetStats() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stats = Stats{Calls: map[string]int{}}
}

// countFault records an injected fault for Stats.
func (e *Emulator) countFault(path string, k faultKind) {
	if k == noFault {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stats.Faults == nil {
		e.stats.Faults = map[string]map[string]int{}
	}
	if e.stats.Faults[path] == nil {
		e.stats.Faults[path] = map[string]int{}
	}
	e.stats.Faults[path][faultNames[k]]++
}

func (e *Emulator) countCall(path string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stats.Total++
	e.stats.Calls[path]++
}

// countIfAccepted serves a request outside the API routes that changes
// something (an OAuth token exchange, a webview login) and counts it as a
// write when it was accepted (a status below 400).
func (e *Emulator) countIfAccepted(w http.ResponseWriter, serve func(http.ResponseWriter)) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	serve(rec)
	if rec.status < 400 {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.stats.Writes++
	}
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}
