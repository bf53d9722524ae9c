package provider

import (
	"context"
	"sync"
	"time"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// deviceReadTTL bounds how long a shared read serves. One plan or refresh
// runs in one provider process and rarely lasts longer; a longer one reads
// a panel again, which costs a call, never correctness.
const deviceReadTTL = time.Minute

// deviceReads shares the reads of panels and of their access codes among the
// resources, data sources and plan-time checks of one configured provider
// (one plan, refresh or apply). Reading 500 codes on 20 panels then costs 20
// /access_codes/list calls instead of 500 gets: the first read of a panel
// lists its codes (every page), the reads that come meanwhile wait for that
// one request, and later ones use its answer. A write to a panel drops what
// was read of it (see forget), so nothing read before a write is served after
// it. It only ever serves what Seam answered; a code missing from a list is
// confirmed by the caller with a direct get.
type deviceReads struct {
	mu      sync.Mutex
	devices map[string]*sharedRead[*seam.Device]
	codes   map[string]*sharedRead[*deviceCodes] // by device id
}

// deviceCodes is a panel's managed codes, in Seam's order.
type deviceCodes struct {
	list []seam.AccessCode
	byID map[string]int // index in list
}

// code returns the listed code with id, if listed.
func (pc *deviceCodes) code(id string) (*seam.AccessCode, bool) {
	i, ok := pc.byID[id]
	if !ok {
		return nil, false
	}
	ac := pc.list[i]
	return &ac, true
}

// sharedRead is one read of Seam, in flight until done is closed.
type sharedRead[T any] struct {
	done chan struct{}
	at   time.Time
	val  T
	err  error
}

func newDeviceReads() *deviceReads {
	return &deviceReads{
		devices: map[string]*sharedRead[*seam.Device]{},
		codes:   map[string]*sharedRead[*deviceCodes]{},
	}
}

// device reads a panel, or shares a read of it made in the last minute.
func (p *deviceReads) device(ctx context.Context, c *seam.Client, id string) (*seam.Device, error) {
	if p == nil {
		return c.GetDevice(ctx, id)
	}
	return share(ctx, &p.mu, p.devices, id, func(ctx context.Context) (*seam.Device, error) {
		return c.GetDevice(ctx, id)
	})
}

// accessCodes is every managed code on a panel: one /access_codes/list
// (every page) shared by the reads of that panel's codes and the
// butterflymx_access_codes data source. Callers must not modify it.
func (p *deviceReads) accessCodes(ctx context.Context, c *seam.Client, deviceID string) (*deviceCodes, error) {
	list := func(ctx context.Context) (*deviceCodes, error) {
		codes := &deviceCodes{byID: map[string]int{}}
		for ac, err := range c.ListAccessCodes(ctx, seam.AccessCodeFilter{DeviceID: deviceID, Limit: accessCodesPageSize}) {
			if err != nil {
				return nil, err
			}
			codes.byID[ac.AccessCodeID] = len(codes.list)
			codes.list = append(codes.list, ac)
		}
		return codes, nil
	}
	if p == nil {
		return list(ctx)
	}
	return share(ctx, &p.mu, p.codes, deviceID, list)
}

// forget drops what was read of a device after a write to it, as the
// client's route table says what the write changed. It is the client's
// OnDeviceWrite hook.
func (p *deviceReads) forget(deviceID string, change seam.DeviceChange) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch change {
	case seam.ChangedCodes:
		delete(p.codes, deviceID)
	case seam.ChangedDevice:
		delete(p.devices, deviceID)
	}
}

// share returns the value of the read under key: a fresh finished one, the
// one in flight (waiting for it), or a new one made by this caller. A failed
// read is not kept, so the next caller tries again. The read runs without
// the caller's cancellation (others may be waiting for it); the client's
// per-request timeout bounds it.
func share[T any](ctx context.Context, mu *sync.Mutex, reads map[string]*sharedRead[T], key string,
	read func(context.Context) (T, error)) (T, error) {
	mu.Lock()
	r, ok := reads[key]
	if ok && finished(r) && (r.err != nil || time.Since(r.at) > deviceReadTTL) {
		ok = false
	}
	if !ok {
		r = &sharedRead[T]{done: make(chan struct{})}
		reads[key] = r
	}
	mu.Unlock()

	if !ok {
		r.val, r.err = read(context.WithoutCancel(ctx))
		r.at = time.Now()
		close(r.done)
		if r.err != nil {
			mu.Lock()
			if reads[key] == r {
				delete(reads, key)
			}
			mu.Unlock()
		}
	}
	select {
	case <-r.done:
		return r.val, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

func finished[T any](r *sharedRead[T]) bool {
	select {
	case <-r.done:
		return true
	default:
		return false
	}
}
