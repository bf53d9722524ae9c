package emulator

import (
	"container/heap"
	"time"
)

// clock is the emulated clock: real time since start, times the scale, plus
// whatever AdvanceClock skipped. It reads milliseconds only, because Seam's
// timestamps have milliseconds and a stored time must equal its JSON form.
type clock struct {
	started time.Time // real start, with its monotonic reading
	scale   float64
	skipped time.Duration
}

func newClock(scale float64) clock {
	if scale == 0 {
		scale = 1
	}
	return clock{started: time.Now(), scale: scale}
}

func (c *clock) now() time.Time {
	elapsed := time.Duration(float64(time.Since(c.started)) * c.scale)
	// Truncate also drops the monotonic reading, so times compare as written.
	return c.started.Add(elapsed + c.skipped).UTC().Truncate(time.Millisecond)
}

func (c *clock) advance(d time.Duration) { c.skipped += d }

// realDuration converts an emulated duration into the real time it takes,
// e.g. for a Retry-After header that a client sleeps on.
func (c *clock) realDuration(d time.Duration) time.Duration {
	return time.Duration(float64(d) / c.scale)
}

// Timers: the access-code lifecycle is a set of future transitions. Each
// is a timer naming the object and the time; a timer whose time no longer
// matches the object (it was rescheduled or deleted) is stale and skipped
// when popped, which is simpler than removing it from the heap.
type timerKind uint8

const (
	stepTimer     timerKind = iota // the code's next lifecycle step (accessCode.Due)
	expiryTimer                    // a time-bound code's ends_at
	syncTimer                      // a connected account's first sync (connectedAccount.FirstSyncDue)
	deletionTimer                  // the end of a connected account's deletion (connectedAccount.DeletionDue)
)

type timer struct {
	at   time.Time
	seq  uint64 // keeps timers due at the same instant in scheduling order
	kind timerKind
	id   string // the access code's id; the account's for syncTimer
}

type timerQueue struct {
	heap timerHeap
	seq  uint64
}

func (q *timerQueue) push(at time.Time, kind timerKind, id string) {
	q.seq++
	heap.Push(&q.heap, timer{at: at, seq: q.seq, kind: kind, id: id})
}

// popDue returns the earliest timer due at or before now.
func (q *timerQueue) popDue(now time.Time) (timer, bool) {
	if len(q.heap) == 0 || q.heap[0].at.After(now) {
		return timer{}, false
	}
	t, _ := heap.Pop(&q.heap).(timer)
	return t, true
}

type timerHeap []timer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].seq < h[j].seq
}
func (h timerHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *timerHeap) Push(x any) {
	if t, ok := x.(timer); ok {
		*h = append(*h, t)
	}
}
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	*h = old[:len(old)-1]
	return t
}
