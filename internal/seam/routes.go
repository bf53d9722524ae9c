package seam

import (
	"fmt"
	"slices"
)

// The route table: everything the client knows about a route, in one row.
// Retries (shouldRetry), pacing (writeLimiter) and the OnDeviceWrite hook
// read it; a call of a route that has no row fails before it is sent.

// writeKind is what a route changes. Callers caching reads learn it through
// Config.OnDeviceWrite.
type writeKind int

const (
	readsOnly    writeKind = iota // changes nothing
	writesCodes                   // a device's access codes
	writesDevice                  // a device itself (name, metadata, managed)
	actsOnDevice                  // an action on a device (unlock); changes no record
	writesOther                   // workspaces, accounts, webviews, credentials
)

// target is which devices a call names. A device route's method takes its
// device as an argument (or a required field Seam needs anyway), so the
// compiler catches a call that forgets it; the client refuses an empty one.
type target int

const (
	noDevice    target = iota
	oneDevice          // one device per call
	manyDevices        // one PIN on several devices (the *_multiple routes)
)

// bucket is one of Seam's per-device limits. Seam documents them per kind
// of operation ("access code creations: 10 per minute per device"), so
// every route that performs that operation on a device shares the bucket.
// Where Seam does not say whether a route counts (the *_multiple and
// unmanaged routes), it is paced as if it did: that costs time at most.
type bucket string

const (
	noBucket    bucket = ""
	codeCreates bucket = "access code creations"
	codeUpdates bucket = "access code updates"
	codeDeletes bucket = "access code deletions"
	unlocks     bucket = "unlock requests"
)

// bucketLimits is how many calls of each bucket Seam accepts per device
// and per DefaultRateLimitWindow.
var bucketLimits = map[bucket]int{
	codeCreates: 10,
	codeUpdates: 10,
	codeDeletes: 20,
	unlocks:     15,
}

// route is one row of the table.
type route struct {
	path   string
	class  routeClass // what a retry may do (retry.go)
	writes writeKind
	bucket bucket
	target target
}

// routes is the table. Adding a route to the client means adding its row
// here; TestRouteTableCoversEveryRoute names a route the client calls
// without one.
var routes = []route{
	{"/workspaces/get", read, readsOnly, noBucket, noDevice},
	{"/devices/get", read, readsOnly, noBucket, noDevice},
	{"/devices/list", read, readsOnly, noBucket, noDevice},
	{"/devices/update", idempotent, writesDevice, noBucket, oneDevice},
	{"/devices/unmanaged/get", read, readsOnly, noBucket, noDevice},
	{"/devices/unmanaged/list", read, readsOnly, noBucket, noDevice},
	{"/devices/unmanaged/update", idempotent, writesDevice, noBucket, oneDevice},
	{"/access_codes/create", write, writesCodes, codeCreates, oneDevice},
	{"/access_codes/get", read, readsOnly, noBucket, noDevice},
	{"/access_codes/list", read, readsOnly, noBucket, noDevice},
	{"/access_codes/update", idempotent, writesCodes, codeUpdates, oneDevice},
	{"/access_codes/delete", idempotent, writesCodes, codeDeletes, oneDevice},
	{"/access_codes/create_multiple", write, writesCodes, codeCreates, manyDevices},
	{"/access_codes/update_multiple", idempotent, writesCodes, codeUpdates, manyDevices},
	{"/access_codes/unmanaged/get", read, readsOnly, noBucket, noDevice},
	{"/access_codes/unmanaged/list", read, readsOnly, noBucket, noDevice},
	{"/access_codes/unmanaged/convert_to_managed", write, writesCodes, codeUpdates, oneDevice},
	{"/access_codes/unmanaged/delete", idempotent, writesCodes, codeDeletes, oneDevice},
	{"/locks/unlock_door", write, actsOnDevice, unlocks, oneDevice},
	{"/action_attempts/get", read, readsOnly, noBucket, noDevice},
	{"/events/list", read, readsOnly, noBucket, noDevice},
	{"/connected_accounts/get", read, readsOnly, noBucket, noDevice},
	{"/connected_accounts/list", read, readsOnly, noBucket, noDevice},
	{"/connected_accounts/update", idempotent, writesOther, noBucket, noDevice},
	{"/connected_accounts/delete", idempotent, writesOther, noBucket, noDevice},
	{"/connected_accounts/create", write, writesOther, noBucket, noDevice},
	{"/connect_webviews/create", write, writesOther, noBucket, noDevice},
	{"/connect_webviews/get", read, readsOnly, noBucket, noDevice},
	{"/connect_webviews/list", read, readsOnly, noBucket, noDevice},
	{"/connect_webviews/delete", idempotent, writesOther, noBucket, noDevice},
	{"/workspaces/credentials/upsert", idempotent, writesOther, noBucket, noDevice},
	{"/workspaces/credentials/get", read, readsOnly, noBucket, noDevice},
	{"/workspaces/credentials/list", read, readsOnly, noBucket, noDevice},
	{"/workspaces/credentials/delete", idempotent, writesOther, noBucket, noDevice},
	{"/webhooks/create", write, writesOther, noBucket, noDevice},
	{"/webhooks/get", read, readsOnly, noBucket, noDevice},
	{"/webhooks/list", read, readsOnly, noBucket, noDevice},
	{"/webhooks/update", idempotent, writesOther, noBucket, noDevice},
	{"/webhooks/delete", idempotent, writesOther, noBucket, noDevice},
}

// routeOf is path's row.
func routeOf(path string) (route, bool) {
	i := slices.IndexFunc(routes, func(r route) bool { return r.path == path })
	if i < 0 {
		return route{}, false
	}
	return routes[i], true
}

// checkDevices refuses a call whose devices do not match its row: a device
// route without a device would go unpaced and leave stale cached reads.
func (r route) checkDevices(devices []string) error {
	switch {
	case r.target == noDevice && len(devices) > 0:
		return fmt.Errorf("seam: %s names no device, but the call gave %v", r.path, devices)
	case r.target == oneDevice && len(devices) != 1:
		return fmt.Errorf("seam: %s acts on exactly one device, but the call gave %d", r.path, len(devices))
	case r.target == manyDevices && len(devices) == 0:
		return fmt.Errorf("seam: %s acts on several devices, but the call gave none", r.path)
	case slices.Contains(devices, ""):
		return fmt.Errorf("seam: %s: the device it acts on is empty; pass the device's id", r.path)
	}
	return nil
}

// DeviceChange is what a write changed on a device, so that a caller
// knows which of its cached reads the write made stale.
type DeviceChange int

const (
	ChangedNothing DeviceChange = iota // an action (unlock)
	ChangedCodes                       // the device's access codes
	ChangedDevice                      // the device itself
)

func (r route) change() DeviceChange {
	switch r.writes {
	case writesCodes:
		return ChangedCodes
	case writesDevice:
		return ChangedDevice
	}
	return ChangedNothing
}

// RouteInfo is a row of the table, for checks outside this package (the
// emulator's limits are compared with PerDeviceLimit).
type RouteInfo struct {
	Path           string
	Retry          string // "read", "write" or "idempotent write"
	Writes         bool
	TargetsDevice  bool
	Bucket         string // "" when Seam does not limit the route per device
	PerDeviceLimit int    // calls per device per DefaultRateLimitWindow; 0 without a bucket
}

// Routes returns the route table.
func Routes() []RouteInfo {
	out := make([]RouteInfo, 0, len(routes))
	for _, r := range routes {
		out = append(out, RouteInfo{
			Path: r.path, Retry: r.class.String(), Writes: r.writes != readsOnly, TargetsDevice: r.target != noDevice,
			Bucket: string(r.bucket), PerDeviceLimit: bucketLimits[r.bucket],
		})
	}
	return out
}
