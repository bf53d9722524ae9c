package provider

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Lost creates. Seam has no idempotency keys, so a create whose
// reply never came (a fault, a timeout, an interrupt) may or may not have
// made its object. The provider never abandons one: it looks for the object,
// with a fresh context when the operation's own is done, and records it in
// state; after a verified absence it sends the create again; and when it
// cannot look it says so, with what to check.

// A look for a lost create's object runs with its own budget, since the
// operation's context may be over (an interrupt or the create timeout). It
// must outlast a list whose attempts time out and are retried, so it is the
// client's budget for one call with all its retries (seam.Client.CallBudget),
// never less than two request timeouts; and it is bounded so that an
// interrupted apply still ends within minutes when Seam does not answer.
const (
	minLookupBudget = time.Minute
	maxLookupBudget = 5 * time.Minute
)

// lookupBudget is the time a look for a lost create's object may take.
func lookupBudget(c *seam.Client) time.Duration {
	if c == nil {
		return maxLookupBudget
	}
	b := min(max(c.CallBudget(), minLookupBudget), maxLookupBudget)
	return max(b, 2*c.RequestTimeout())
}

// lostCreateRetries is how many times a create is sent again after the
// provider verified that the lost one made nothing. The client's own retry
// budget applies to each of them.
const lostCreateRetries = 3

// lookupContext is a context for looking up what a create may have made:
// ctx's values (log masks) without its cancellation, bounded by
// lookupBudget.
func (d *providerData) lookupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	var c *seam.Client
	if d != nil {
		c = d.client
	}
	return context.WithTimeout(context.WithoutCancel(ctx), lookupBudget(c))
}

// interrupted reports whether ctx ended because Terraform was interrupted
// (the framework cancels it), as opposed to reaching a deadline.
func interrupted(ctx context.Context) bool {
	return errors.Is(ctx.Err(), context.Canceled)
}

// createEnd names what ended a create for messages: an interrupt, the
// create timeout, or a failure.
func createEnd(ctx context.Context) string {
	switch {
	case interrupted(ctx):
		return "the apply was interrupted (Ctrl-C) while the request was in flight"
	case ctx.Err() != nil:
		return "timeouts.create ran out while the request was in flight"
	}
	return "the request failed without a clear answer from Seam"
}

// createClaims are the ids of objects that a create of this provider
// instance has put in state. A lost create of one of several identical
// objects (count = 5 webviews) adopts one that no other create claimed, so
// two resources never record the same object.
type createClaims struct {
	mu  sync.Mutex
	ids map[string]bool
}

// claim records id, and reports false when it was already claimed. A nil
// registry (a resource built without the provider, in unit tests) claims
// everything.
func (c *createClaims) claim(id string) bool {
	if c == nil {
		return true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ids == nil {
		c.ids = map[string]bool{}
	}
	if c.ids[id] {
		return false
	}
	c.ids[id] = true
	return true
}

func (c *createClaims) claimed(id string) bool {
	if c == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ids[id]
}
