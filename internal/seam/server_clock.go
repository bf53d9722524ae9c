package seam

import (
	"net/http"
	"sync/atomic"
	"time"
)

// minClockSkew is the smallest offset between Seam's clock and the
// machine's that Now applies: an HTTP Date has whole seconds, so a smaller
// difference is the header's rounding, not skew.
const minClockSkew = 2 * time.Second

// serverClock is what the client has learnt of Seam's clock from the Date
// header of its replies: the offset to add to the machine's clock.
type serverClock struct {
	offset atomic.Int64 // nanoseconds; 0 until a reply with a Date arrived
}

// observe records the offset a reply received at local time shows. A reply
// without a usable Date changes nothing.
func (s *serverClock) observe(header http.Header, received time.Time) {
	date, err := http.ParseTime(header.Get("Date"))
	if err != nil {
		return
	}
	// The Date was truncated to the second: its middle is the best guess.
	offset := date.Add(500 * time.Millisecond).Sub(received)
	if offset.Abs() < minClockSkew {
		offset = 0
	}
	s.offset.Store(int64(offset))
}

// Now is Seam's clock as the latest reply showed it: the machine's clock
// plus the offset learnt from the HTTP Date header of Seam's replies (the
// machine's own clock until a reply came, or when they differ by less than
// the header's precision). Checks such as "ends_at is in the past" use it
// so that a machine whose clock is wrong does not send a request Seam will
// refuse, nor refuse one Seam would accept.
func (c *Client) Now() time.Time {
	return time.Now().Add(time.Duration(c.clock.offset.Load()))
}
