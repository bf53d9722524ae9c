package provider

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Codes a killed run left. A SIGKILL of the CLI or of the provider between
// Seam's create and Terraform saving state leaves a code in Seam that no
// state knows, and nothing can save state after a SIGKILL. The next plan
// finds it instead, and refuses the create with the import command rather
// than making a duplicate (or meeting Seam's 409 on a chosen PIN).
//
// The rule: a Seam-managed code on the planned panel is taken for one this
// configuration made when it has the planned name and PIN (for a generated
// PIN: the planned name, schedule, and length when one is asked for), and
//   - it is not this resource's own code in state;
//   - no other resource of this configuration holds it: their refreshes and
//     plans report the ids in their state to this provider instance
//     (killedRunWatch.hold), and a planned create waits for the refreshes
//     still running before it decides;
//   - this provider instance did not create it (its creates claim what they
//     make), and it is older than this provider instance (a newer one is a
//     create of this run, or of a run going on elsewhere);
//   - no other planned create was already pointed at it (identical codes
//     each get their own).
// For a generated PIN, identical codes (count copies with one name) need a
// refresh to tell which are held: the plan that an apply makes again just
// before it writes (in a new provider instance) plans only the resources
// that change, so codes in state go unreported there. Without a refresh in
// this provider instance (that plan, -refresh=false, or a state with no
// code, as after a run killed before its first state write) a generated PIN
// is refused only when one code alone on the panel carries its name and
// schedule. A chosen PIN is looked for in every plan: a panel holds a PIN
// once, so two resources cannot both plan it.
//
// Limits: a code is known by what it carries, so another team's code with
// the same name and PIN, or name and schedule, is taken for ours (the
// message says to rename then), and so is, in that plan an apply makes
// again, the one code in state of a configuration that adds a copy of it
// (same panel, name and schedule, generated PIN); a code made without a name and with a
// generated PIN cannot be recognised; a resource outside this plan (-target,
// or one that depends on this one) does not report its state in time; a
// resource this plan destroys or moves still holds its code.

// killedRunQuiet is how long a planned create waits, once no refresh or
// plan of another code is running, for one to start; killedRunMaxWait
// bounds the whole wait.
const (
	killedRunQuiet   = time.Second
	killedRunMaxWait = 20 * time.Second
	killedRunPoll    = 50 * time.Millisecond
)

// killedRunWatch is what one provider instance knows, while planning, about
// which codes on the panels belong to this configuration.
type killedRunWatch struct {
	mu        sync.Mutex
	since     time.Time       // when this provider instance was configured
	held      map[string]bool // ids held in this configuration's state
	pointed   map[string]bool // ids already named to a planned create
	refreshed bool            // a refresh of a code in state ran
	busy      int             // refreshes and plans of codes in progress
	waiting   int             // of those, the ones waiting here
	lastMove  time.Time       // last hold, or end of a refresh or plan
}

// newKilledRunWatch starts a watch at now, on Seam's clock as the client
// learnt it (created_at is Seam's).
func newKilledRunWatch(now time.Time) *killedRunWatch {
	return &killedRunWatch{since: now, lastMove: time.Now(), held: map[string]bool{}, pointed: map[string]bool{}}
}

// hold records ids that a resource of this configuration has in state. Any
// resource that puts codes on panels calls it from its Read (refresh true)
// and its ModifyPlan.
func (w *killedRunWatch) hold(refresh bool, ids ...string) {
	if w == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.refreshed = w.refreshed || refresh
	for _, id := range ids {
		if id != "" {
			w.held[id] = true
		}
	}
	w.lastMove = time.Now()
}

// begin marks a refresh or plan of a code as running until the returned
// function is called: a planned create waits for those before it decides.
func (w *killedRunWatch) begin() (end func()) {
	if w == nil {
		return func() {}
	}
	w.mu.Lock()
	w.busy++
	w.mu.Unlock()
	return func() {
		w.mu.Lock()
		w.busy--
		w.lastMove = time.Now()
		w.mu.Unlock()
	}
}

// unheld waits until every code in ids is held, or until no other refresh
// or plan has run for killedRunQuiet (bounded by killedRunMaxWait and ctx),
// and returns the codes still not held, and whether a refresh ran. The
// caller is itself busy.
func (w *killedRunWatch) unheld(ctx context.Context, ids []string) (left []string, refreshed bool) {
	w.mu.Lock()
	w.waiting++
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		w.waiting--
		w.mu.Unlock()
	}()
	deadline := time.Now().Add(killedRunMaxWait)
	for {
		w.mu.Lock()
		left = slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return w.held[id] })
		quiet := w.busy <= w.waiting && time.Since(w.lastMove) >= killedRunQuiet
		refreshed = w.refreshed
		w.mu.Unlock()
		if len(left) == 0 || quiet || time.Now().After(deadline) || sleep(ctx, killedRunPoll) != nil {
			return left, refreshed
		}
	}
}

// point names the first of ids no other planned create was named, and
// reserves it; "" when there is none.
func (w *killedRunWatch) point(ids []string) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, id := range ids {
		if !w.held[id] && !w.pointed[id] {
			w.pointed[id] = true
			return id
		}
	}
	return ""
}

// plannedCode is what a planned create will ask Seam for, as far as it
// identifies the code on the panel.
type plannedCode struct {
	deviceID string
	name     *string // nil: not known at plan (any name matches a chosen PIN)
	code     *string // nil: Seam generates the PIN
	length   int     // length asked for a generated PIN; 0: any
	startsAt *time.Time
	endsAt   *time.Time
}

// recognisable reports whether a code made for p can be told from others.
func (p plannedCode) recognisable() bool {
	return p.code != nil || p.name != nil
}

// matches reports whether ac carries what p plans.
func (p plannedCode) matches(ac seam.AccessCode) bool {
	sameStr := func(a, b *string) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }
	sameTime := func(a, b *time.Time) bool { return (a == nil && b == nil) || (a != nil && b != nil && a.Equal(*b)) }
	if ac.DeviceID != p.deviceID || !ac.IsManaged || (p.name != nil && !sameStr(ac.Name, p.name)) {
		return false
	}
	if p.code != nil {
		return sameStr(ac.Code, p.code)
	}
	return sameTime(ac.StartsAt, p.startsAt) && sameTime(ac.EndsAt, p.endsAt) &&
		(p.length == 0 || (ac.Code != nil && len(*ac.Code) == p.length))
}

// killedRunCode finds a code on the panel that a killed run of this
// configuration made for p (the rule above), and reserves it for this
// create; ownID is the code this resource already holds, if any. It uses
// the panel's shared list of codes (device_reads.go): no call of its own.
// A list that cannot be read skips the check (the create's own checks
// follow).
func (d *providerData) killedRunCode(ctx context.Context, p plannedCode, ownID string) *seam.AccessCode {
	if d == nil || d.killedRun == nil || d.client == nil || !p.recognisable() {
		return nil
	}
	codes, err := d.devices.accessCodes(ctx, d.client, p.deviceID)
	if err != nil {
		return nil
	}
	var ids []string
	for _, ac := range codes.list {
		if p.matches(ac) && ac.AccessCodeID != ownID && !d.claims.claimed(ac.AccessCodeID) &&
			ac.CreatedAt.Before(d.killedRun.since) {
			ids = append(ids, ac.AccessCodeID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	left, refreshed := d.killedRun.unheld(ctx, ids)
	if p.code == nil && !refreshed && len(ids) > 1 {
		return nil // identical codes, and no refresh told which are held
	}
	id := d.killedRun.point(left)
	if id == "" {
		return nil
	}
	ac, _ := codes.code(id)
	return ac
}

// reportKilledRunCode refuses a planned create whose code a killed run
// already made, with the import that records it instead. The PIN is never
// quoted.
func reportKilledRunCode(diags *diag.Diagnostics, device *seam.Device, ac *seam.AccessCode, chosenPIN bool) {
	what, create := "the name and PIN", "creating it again would make a duplicate"
	if chosenPIN {
		create = "Seam would refuse to create it again (the PIN is taken)"
	} else {
		what = "the name and schedule, and a PIN Seam generated,"
	}
	diags.AddError("Access code already made by an interrupted run",
		fmt.Sprintf("Panel %s holds Seam-managed access code %s%s, created %s, with %s that this resource plans, and "+
			"no resource of this configuration holds it in state. An apply killed after Seam created the code and "+
			"before Terraform saved state (SIGKILL, a crash, a lost machine) leaves such a code; %s. Nothing was "+
			"changed.\n\nIf it is this resource's code, import it, then apply:\n  terraform import <address> %s\nor an "+
			"import block with id = %q. If it belongs to someone else, give this code a name no other code on the "+
			"panel has. If a resource that this plan destroys or renames holds it, use a moved block instead.",
			intercomLabel(device, ac.DeviceID), ac.AccessCodeID, quotedName(ac.Name), rfc3339UTC(ac.CreatedAt),
			what, create, ac.AccessCodeID, ac.AccessCodeID))
}
