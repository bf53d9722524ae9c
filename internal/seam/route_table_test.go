package seam

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// routeCalls calls each route of the table through the client's public
// API. Device routes act on "d1" (and "d2" for the *_multiple routes).
var routeCalls = map[string]func(context.Context, *Client) error{
	"/workspaces/get": func(ctx context.Context, c *Client) error { _, err := c.GetWorkspace(ctx); return err },
	"/devices/get":    func(ctx context.Context, c *Client) error { _, err := c.GetDevice(ctx, "d1"); return err },
	"/devices/list": func(ctx context.Context, c *Client) error {
		_, err := collect(c.ListDevices(ctx, DeviceFilter{}))
		return err
	},
	"/devices/update": func(ctx context.Context, c *Client) error { return c.UpdateDevice(ctx, DeviceUpdate{DeviceID: "d1"}) },
	"/connected_accounts/get": func(ctx context.Context, c *Client) error {
		_, err := c.GetConnectedAccount(ctx, "ca1")
		return err
	},
	"/connected_accounts/list": func(ctx context.Context, c *Client) error {
		_, err := collect(c.ListConnectedAccounts(ctx, ConnectedAccountFilter{}))
		return err
	},
	"/connected_accounts/update": func(ctx context.Context, c *Client) error {
		_, err := c.UpdateConnectedAccount(ctx, ConnectedAccountUpdate{ConnectedAccountID: "ca1"})
		return err
	},
	"/connected_accounts/delete": func(ctx context.Context, c *Client) error { return c.DeleteConnectedAccount(ctx, "ca1") },
	"/webhooks/create": func(ctx context.Context, c *Client) error {
		_, err := c.CreateWebhook(ctx, "http://127.0.0.1:9/hook", nil)
		return err
	},
	"/webhooks/get":    func(ctx context.Context, c *Client) error { _, err := c.GetWebhook(ctx, "wh1"); return err },
	"/webhooks/list":   func(ctx context.Context, c *Client) error { _, err := c.ListWebhooks(ctx); return err },
	"/webhooks/update": func(ctx context.Context, c *Client) error { return c.UpdateWebhook(ctx, "wh1", []string{"*"}) },
	"/webhooks/delete": func(ctx context.Context, c *Client) error { return c.DeleteWebhook(ctx, "wh1") },
	"/connected_accounts/create": func(ctx context.Context, c *Client) error {
		_, err := c.CreateConnectedAccount(ctx, ConnectedAccountCreate{OAuthToken: OAuthToken{AccessToken: "at"}})
		return err
	},
	"/connect_webviews/create": func(ctx context.Context, c *Client) error {
		_, err := c.CreateConnectWebview(ctx, ConnectWebviewCreate{})
		return err
	},
	"/connect_webviews/get": func(ctx context.Context, c *Client) error { _, err := c.GetConnectWebview(ctx, "cw1"); return err },
	"/connect_webviews/list": func(ctx context.Context, c *Client) error {
		_, err := collect(c.ListConnectWebviews(ctx, ConnectWebviewFilter{}))
		return err
	},
	"/connect_webviews/delete": func(ctx context.Context, c *Client) error { return c.DeleteConnectWebview(ctx, "cw1") },
	"/access_codes/create": func(ctx context.Context, c *Client) error {
		_, _, err := c.CreateAccessCode(ctx, AccessCodeCreate{DeviceID: "d1"})
		return err
	},
	"/access_codes/get": func(ctx context.Context, c *Client) error { _, err := c.GetAccessCode(ctx, "ac1"); return err },
	"/access_codes/list": func(ctx context.Context, c *Client) error {
		_, err := collect(c.ListAccessCodes(ctx, AccessCodeFilter{DeviceID: "d1"}))
		return err
	},
	"/access_codes/update": func(ctx context.Context, c *Client) error {
		_, err := c.UpdateAccessCode(ctx, "d1", AccessCodeUpdate{AccessCodeID: "ac1"})
		return err
	},
	"/access_codes/delete": func(ctx context.Context, c *Client) error {
		_, err := c.DeleteAccessCode(ctx, "d1", "ac1")
		return err
	},
	"/access_codes/create_multiple": func(ctx context.Context, c *Client) error {
		_, err := c.CreateAccessCodes(ctx, AccessCodesCreate{DeviceIDs: []string{"d1", "d2"}})
		return err
	},
	"/access_codes/update_multiple": func(ctx context.Context, c *Client) error {
		return c.UpdateAccessCodes(ctx, []string{"d1", "d2"}, AccessCodesUpdate{CommonCodeKey: "k1"})
	},
	"/devices/unmanaged/get": func(ctx context.Context, c *Client) error {
		_, err := c.GetUnmanagedDevice(ctx, "d1")
		return err
	},
	"/devices/unmanaged/list": func(ctx context.Context, c *Client) error {
		_, err := collect(c.ListUnmanagedDevices(ctx, DeviceFilter{}))
		return err
	},
	"/devices/unmanaged/update": func(ctx context.Context, c *Client) error { return c.ManageDevice(ctx, "d1") },
	"/access_codes/unmanaged/get": func(ctx context.Context, c *Client) error {
		_, err := c.GetUnmanagedAccessCode(ctx, "ac1")
		return err
	},
	"/access_codes/unmanaged/list": func(ctx context.Context, c *Client) error {
		_, err := collect(c.ListUnmanagedAccessCodes(ctx, "d1", 0))
		return err
	},
	"/access_codes/unmanaged/convert_to_managed": func(ctx context.Context, c *Client) error {
		_, err := c.ConvertAccessCodeToManaged(ctx, "d1", "ac1", nil)
		return err
	},
	"/access_codes/unmanaged/delete": func(ctx context.Context, c *Client) error {
		_, err := c.DeleteUnmanagedAccessCode(ctx, "d1", "ac1")
		return err
	},
	"/events/list": func(ctx context.Context, c *Client) error {
		_, err := c.CompletedFirstSync(ctx, "ca1", time.Now())
		return err
	},
	"/action_attempts/get": func(ctx context.Context, c *Client) error { _, err := c.GetActionAttempt(ctx, "aa1"); return err },
	"/locks/unlock_door":   func(ctx context.Context, c *Client) error { _, err := c.UnlockDoor(ctx, "d1"); return err },
	"/workspaces/credentials/upsert": func(ctx context.Context, c *Client) error {
		_, err := c.UpsertWorkspaceCredential(ctx, "BUTTERFLY_API_TOKEN", "v")
		return err
	},
	"/workspaces/credentials/get": func(ctx context.Context, c *Client) error {
		_, err := c.GetWorkspaceCredential(ctx, "BUTTERFLY_API_TOKEN")
		return err
	},
	"/workspaces/credentials/list": func(ctx context.Context, c *Client) error { _, err := c.ListWorkspaceCredentials(ctx); return err },
	"/workspaces/credentials/delete": func(ctx context.Context, c *Client) error {
		return c.DeleteWorkspaceCredential(ctx, "BUTTERFLY_API_TOKEN")
	},
}

// routeDevices is the devices routeCalls names for r.
func routeDevices(r route) []string {
	switch r.target {
	case oneDevice:
		return []string{"d1"}
	case manyDevices:
		return []string{"d1", "d2"}
	}
	return nil
}

// eachRoute runs f for every row of the table that routeCalls can call.
func eachRoute(t *testing.T, f func(t *testing.T, r route, call func(context.Context, *Client) error)) {
	for _, r := range routes {
		t.Run(strings.TrimPrefix(r.path, "/"), func(t *testing.T) {
			call := routeCalls[r.path]
			if call == nil {
				t.Fatalf("route %s has no call in routeCalls (route_table_test.go): add one", r.path)
			}
			f(t, r, call)
		})
	}
}

// TestRetryClassOfEveryRoute calls each route against a server that answers
// 502 every time, with one retry allowed: a write is sent once (a 502 may
// hide a write that happened), a read or idempotent write twice, and the
// retry's log line names the class.
func TestRetryClassOfEveryRoute(t *testing.T) {
	eachRoute(t, func(t *testing.T, r route, call func(context.Context, *Client) error) {
		f := newFake(t)
		f.on(r.path, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
			seamError(w, http.StatusBadGateway, "bad_gateway", "upstream failed")
		})
		logs := &logRecorder{}
		c := f.client(func(cfg *Config) { cfg.MaxRetries = 1; cfg.Logger = logs.log })
		if err := call(context.Background(), c); err == nil {
			t.Fatal("a 502 on every attempt gave no error")
		}
		wantAttempts := 2
		if r.class == write {
			wantAttempts = 1
		}
		if got := f.count(r.path); got != wantAttempts {
			t.Errorf("%s (%s) was sent %d times after a 502, want %d", r.path, r.class, got, wantAttempts)
		}
		var classes []any
		for _, l := range logs.all() {
			if l.msg == "seam retry" {
				classes = append(classes, l.fields["class"])
			}
		}
		if r.class == write && len(classes) != 0 || r.class != write && !slices.Equal(classes, []any{r.class.String()}) {
			t.Errorf("%s: retries logged with classes %v, want one retry of class %q (none for a write)", r.path, classes, r.class)
		}
	})
}

// TestDeviceWritesReportTheirDevices: every write to a device tells
// OnDeviceWrite which devices it touched and what it changed there, even
// when it failed (it may have taken effect); reads and other writes tell
// nothing.
func TestDeviceWritesReportTheirDevices(t *testing.T) {
	eachRoute(t, func(t *testing.T, r route, call func(context.Context, *Client) error) {
		f := newFake(t)
		f.on(r.path, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
			seamError(w, http.StatusBadRequest, "invalid_input", "no")
		})
		var heard []string
		c := f.client(func(cfg *Config) {
			cfg.OnDeviceWrite = func(device string, change DeviceChange) {
				heard = append(heard, device+" "+strconv.Itoa(int(change)))
			}
		})
		_ = call(context.Background(), c)
		var want []string
		if r.writes != readsOnly {
			for _, d := range routeDevices(r) {
				want = append(want, d+" "+strconv.Itoa(int(r.change())))
			}
		}
		if !slices.Equal(heard, want) {
			t.Errorf("%s: OnDeviceWrite heard %v, want %v", r.path, heard, want)
		}
	})
}

// TestBucketedRoutesArePaced: after a bucket's limit of calls on a device,
// the next call of the route waits for the window instead of being sent.
func TestBucketedRoutesArePaced(t *testing.T) {
	eachRoute(t, func(t *testing.T, r route, call func(context.Context, *Client) error) {
		limit := bucketLimits[r.bucket]
		if limit == 0 {
			t.Skip("not limited per device")
		}
		f := newFake(t)
		f.on(r.path, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
			seamError(w, http.StatusBadRequest, "invalid_input", "no") // counted, like any call Seam answered
		})
		c := f.client(func(cfg *Config) { cfg.RateLimitWindow = time.Hour; cfg.MaxRetries = 0 })
		for range limit {
			_ = call(context.Background(), c)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		err := call(ctx, c)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: call %d within the window: got %v, want a wait for the device's rate limit", r.path, limit+1, err)
		}
		if got := f.count(r.path); got != limit {
			t.Errorf("%s: the server saw %d calls, want %d", r.path, got, limit)
		}
	})
}

// TestRouteTableRows checks each row against what its route name says
// (a create or an action is never repeated after a lost reply), and that
// what a row says fits together.
func TestRouteTableRows(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range routes {
		if seen[r.path] {
			t.Errorf("%s has two rows", r.path)
		}
		seen[r.path] = true
		last := r.path[strings.LastIndex(r.path, "/")+1:]
		var want routeClass
		switch last {
		case "get", "list":
			want = read
		case "create", "create_multiple", "convert_to_managed", "unlock_door":
			want = write
		default: // update, delete, upsert: they state an end result
			want = idempotent
		}
		if r.class != want {
			t.Errorf("%s: retry class %s, want %s for a route named %q", r.path, r.class, want, last)
		}
		onDevice := r.writes == writesCodes || r.writes == writesDevice || r.writes == actsOnDevice
		switch {
		case (r.class == read) != (r.writes == readsOnly):
			t.Errorf("%s: retry class %s does not fit its kind of write %d", r.path, r.class, r.writes)
		case onDevice != (r.target != noDevice):
			t.Errorf("%s: a write to a device must name its devices, and only such a write (kind %d, target %d)", r.path, r.writes, r.target)
		case r.bucket != noBucket && (r.target == noDevice || bucketLimits[r.bucket] == 0):
			t.Errorf("%s: bucket %q needs a device and a limit", r.path, r.bucket)
		}
	}
}

// routeLiteral is a string that names a Seam route.
var routeLiteral = regexp.MustCompile(`^/[a-z_]+(/[a-z_]+)+$`)

// notSeamRoutes look like routes but are ButterflyMX's OAuth paths, which
// golang.org/x/oauth2 calls once, without the client's retries.
var notSeamRoutes = map[string]bool{"/oauth/authorize": true, "/oauth/token": true}

// TestRouteTableCoversEveryRoute finds every route the client's source
// names and checks that the route table has its row, and that every row is
// a route the client calls.
func TestRouteTableCoversEveryRoute(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	called := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "routes.go" {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !routeLiteral.MatchString(s) || notSeamRoutes[s] {
				return true
			}
			called[s] = true
			if _, ok := routeOf(s); !ok {
				t.Errorf("%s: route %s has no row in the route table (routes.go)", fset.Position(lit.Pos()), s)
			}
			return true
		})
	}
	for _, r := range routes {
		if !called[r.path] {
			t.Errorf("route table row %s: the client never calls it; remove the row", r.path)
		}
	}
}

// TestCallOfRouteWithoutRowFails: a route missing from the table fails
// before it is sent, naming the route.
func TestCallOfRouteWithoutRowFails(t *testing.T) {
	f := newFake(t)
	err := f.client().do(context.Background(), "/things/get", nil, nil)
	if err == nil || !strings.Contains(err.Error(), "/things/get is not in the client's route table") {
		t.Errorf("got %v, want an error naming the route", err)
	}
	if f.count("/things/get") != 0 {
		t.Error("the call was sent")
	}
}

// TestDeviceRouteWithoutDeviceFails: a device route given an empty device
// (a caller that lost it) fails before it is sent, so it cannot go unpaced.
func TestDeviceRouteWithoutDeviceFails(t *testing.T) {
	f := newFake(t)
	c := f.client()
	_, err := c.DeleteAccessCode(context.Background(), "", "ac1")
	if err == nil || !strings.Contains(err.Error(), "the device it acts on is empty") {
		t.Errorf("got %v, want an error saying the device is missing", err)
	}
	err = c.UpdateAccessCodes(context.Background(), nil, AccessCodesUpdate{CommonCodeKey: "k"})
	if err == nil || !strings.Contains(err.Error(), "gave none") {
		t.Errorf("got %v, want an error saying no device was given", err)
	}
	if f.count("/access_codes/delete")+f.count("/access_codes/update_multiple") != 0 {
		t.Error("a call without its device was sent")
	}
}
