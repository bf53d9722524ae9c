package routecheck

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// probeCalls is how many calls of a route the probe makes on one device:
// one more than the largest per-device limit Seam publishes.
const probeCalls = 21

// world is a fresh emulator with Seam's per-device limits on, and an
// unpaced client that never retries, so every 429 reaches the probe.
type world struct {
	t   *testing.T
	srv *emulator.Server
	c   *seam.Client
	ctx context.Context
}

func newWorld(t *testing.T) *world {
	t.Helper()
	srv, err := emulator.Start(emulator.Options{Seed: "demo", RateLimit: true}, "127.0.0.1:0")
	if err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	c, err := seam.New(seam.Config{Endpoint: srv.URL, APIKey: srv.APIKey, RateLimitWindow: -1, RequestTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return &world{t: t, srv: srv, c: c, ctx: context.Background()}
}

// setUp runs a set-up write, waiting out the emulator's limits (its clock,
// not the test's) rather than failing on them.
func (w *world) setUp(what string, write func() error) {
	w.t.Helper()
	for range 3 {
		err := write()
		if !seam.IsRateLimited(err) {
			if err != nil {
				w.t.Fatalf("set-up, %s: %v", what, err)
			}
			return
		}
		w.srv.Emulator.AdvanceClock(time.Minute)
	}
	w.t.Fatalf("set-up, %s: still rate limited", what)
}

// codes creates n managed codes on device and returns their ids.
func (w *world) codes(device string, n int) []string {
	var ids []string
	for i := range n {
		w.setUp("creating a code", func() error {
			ac, _, err := w.c.CreateAccessCode(w.ctx, seam.AccessCodeCreate{DeviceID: device, Name: new(fmt.Sprintf("Code %d", i))})
			if err == nil {
				ids = append(ids, ac.AccessCodeID)
			}
			return err
		})
	}
	w.srv.Emulator.AdvanceClock(time.Minute) // the set-up's writes leave the window
	return ids
}

// unmanagedCodes puts n codes on device behind Seam's back.
func (w *world) unmanagedCodes(device string, n int) []string {
	var ids []string
	for i := range n {
		id, err := w.srv.Emulator.AddUnmanagedAccessCode(device, fmt.Sprintf("Panel code %d", i), fmt.Sprintf("4%d%d61", i%7+1, i/7+2))
		if err != nil {
			w.t.Fatalf("set-up, an unmanaged code: %v", err)
		}
		ids = append(ids, id)
	}
	return ids
}

// probes drive each device route of the client's table: prepare sets up a
// device and returns the i-th call. A device route the client calls with
// no probe here fails the test.
var probes = map[string]func(w *world, device string) func(i int) error{
	"/access_codes/create": func(w *world, d string) func(int) error {
		return func(i int) error {
			_, _, err := w.c.CreateAccessCode(w.ctx, seam.AccessCodeCreate{DeviceID: d, Name: new(fmt.Sprintf("Probe %d", i))})
			return err
		}
	},
	"/access_codes/update": func(w *world, d string) func(int) error {
		id := w.codes(d, 1)[0]
		return func(i int) error {
			_, err := w.c.UpdateAccessCode(w.ctx, d, seam.AccessCodeUpdate{AccessCodeID: id, Name: new(fmt.Sprintf("Renamed %d", i))})
			return err
		}
	},
	"/access_codes/delete": func(w *world, d string) func(int) error {
		ids := w.codes(d, probeCalls)
		return func(i int) error { _, err := w.c.DeleteAccessCode(w.ctx, d, ids[i]); return err }
	},
	"/access_codes/create_multiple": func(w *world, d string) func(int) error {
		return func(i int) error {
			_, err := w.c.CreateAccessCodes(w.ctx, seam.AccessCodesCreate{DeviceIDs: []string{d}, Name: new(fmt.Sprintf("Shared %d", i))})
			return err
		}
	},
	"/access_codes/update_multiple": func(w *world, d string) func(int) error {
		var key string
		w.setUp("a shared code", func() error {
			codes, err := w.c.CreateAccessCodes(w.ctx, seam.AccessCodesCreate{DeviceIDs: []string{d}})
			if err == nil && len(codes) == 1 && codes[0].CommonCodeKey != nil {
				key = *codes[0].CommonCodeKey
			}
			return err
		})
		return func(i int) error {
			return w.c.UpdateAccessCodes(w.ctx, []string{d}, seam.AccessCodesUpdate{CommonCodeKey: key, Name: new(fmt.Sprintf("Shared %d", i))})
		}
	},
	"/access_codes/unmanaged/convert_to_managed": func(w *world, d string) func(int) error {
		ids := w.unmanagedCodes(d, probeCalls)
		return func(i int) error { _, err := w.c.ConvertAccessCodeToManaged(w.ctx, d, ids[i], nil); return err }
	},
	"/access_codes/unmanaged/delete": func(w *world, d string) func(int) error {
		ids := w.unmanagedCodes(d, probeCalls)
		return func(i int) error { _, err := w.c.DeleteUnmanagedAccessCode(w.ctx, d, ids[i]); return err }
	},
	"/locks/unlock_door": func(w *world, d string) func(int) error {
		return func(int) error { _, err := w.c.UnlockDoor(w.ctx, d); return err }
	},
	"/devices/update": func(w *world, d string) func(int) error {
		return func(i int) error {
			return w.c.UpdateDevice(w.ctx, seam.DeviceUpdate{DeviceID: d, Name: new(fmt.Sprintf("Panel %d", i))})
		}
	},
	"/devices/unmanaged/update": func(w *world, d string) func(int) error {
		off := false
		return func(int) error {
			// Each probe call manages the device again; the unmanaging
			// in between is a /devices/update, probed on its own.
			w.setUp("unmanaging the device", func() error {
				return w.c.UpdateDevice(w.ctx, seam.DeviceUpdate{DeviceID: d, IsManaged: &off})
			})
			return w.c.ManageDevice(w.ctx, d)
		}
	},
}

// probeDevice is a demo panel that holds codes and unlocks remotely.
func (w *world) probeDevice() string {
	for d, err := range w.c.ListDevices(w.ctx, seam.DeviceFilter{}) {
		if err != nil {
			w.t.Fatal(err)
		}
		if d.CanRemotelyUnlock != nil && *d.CanRemotelyUnlock && d.Properties.Online {
			return d.DeviceID
		}
	}
	w.t.Fatal("no demo panel unlocks remotely")
	return ""
}

// TestEmulatorLimitsMatchClientTable drives each device route of the
// client's route table probeCalls times on one panel of a fresh emulator
// and finds the emulator's per-device limit: the number of calls it took
// before its first 429. Wherever the emulator (as Seam) limits a route, the
// client's table must pace it to the same number; a route the client paces
// and the emulator does not is one where Seam is silent, paced to be safe.
func TestEmulatorLimitsMatchClientTable(t *testing.T) {
	for _, r := range seam.Routes() {
		if !r.TargetsDevice {
			continue
		}
		t.Run(r.Path, func(t *testing.T) {
			probe := probes[r.Path]
			if probe == nil {
				t.Fatalf("route %s acts on a device but has no probe in limits_test.go: add one so its limit is checked", r.Path)
			}
			w := newWorld(t)
			call := probe(w, w.probeDevice())
			accepted := 0
			for i := range probeCalls {
				err := call(i)
				if seam.IsRateLimited(err) {
					break
				}
				if err != nil {
					t.Fatalf("call %d: %v", i+1, err)
				}
				accepted++
			}
			switch {
			case accepted < probeCalls && accepted != r.PerDeviceLimit:
				t.Errorf("the emulator takes %d calls of %s per device per minute, the client's table paces it to %d (bucket %q)",
					accepted, r.Path, r.PerDeviceLimit, r.Bucket)
			case accepted == probeCalls && r.PerDeviceLimit > 0:
				t.Logf("the emulator does not limit %s; the client paces it to %d per device (bucket %q)", r.Path, r.PerDeviceLimit, r.Bucket)
			}
		})
	}
}
