package seam

import (
	"context"
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

// routeClassCase is one client route, the class it must have, and a call of
// it through the client's public API.
type routeClassCase struct {
	route string
	class routeClass
	call  func(context.Context, *Client) error
}

// routeClasses pins the retry class of every route the client calls. A
// write classed as idempotent (or read) would be repeated after a lost
// reply and could act twice; an idempotent write or read classed as write
// would give up on a 502 that a retry would survive.
var routeClasses = []routeClassCase{
	{"/workspaces/get", read, func(ctx context.Context, c *Client) error { _, err := c.GetWorkspace(ctx); return err }},
	{"/devices/get", read, func(ctx context.Context, c *Client) error { _, err := c.GetDevice(ctx, "d1"); return err }},
	{"/devices/list", read, func(ctx context.Context, c *Client) error {
		_, err := collect(c.ListDevices(ctx, DeviceFilter{}))
		return err
	}},
	{"/devices/update", idempotent, func(ctx context.Context, c *Client) error { return c.UpdateDevice(ctx, DeviceUpdate{DeviceID: "d1"}) }},
	{"/connected_accounts/get", read, func(ctx context.Context, c *Client) error { _, err := c.GetConnectedAccount(ctx, "ca1"); return err }},
	{"/connected_accounts/list", read, func(ctx context.Context, c *Client) error {
		_, err := collect(c.ListConnectedAccounts(ctx, ConnectedAccountFilter{}))
		return err
	}},
	{"/connected_accounts/update", idempotent, func(ctx context.Context, c *Client) error {
		_, err := c.UpdateConnectedAccount(ctx, ConnectedAccountUpdate{ConnectedAccountID: "ca1"})
		return err
	}},
	{"/connected_accounts/delete", idempotent, func(ctx context.Context, c *Client) error { return c.DeleteConnectedAccount(ctx, "ca1") }},
	{"/connected_accounts/create", write, func(ctx context.Context, c *Client) error {
		_, err := c.CreateConnectedAccount(ctx, ConnectedAccountCreate{OAuthToken: OAuthToken{AccessToken: "at"}})
		return err
	}},
	{"/connect_webviews/create", write, func(ctx context.Context, c *Client) error {
		_, err := c.CreateConnectWebview(ctx, ConnectWebviewCreate{})
		return err
	}},
	{"/connect_webviews/get", read, func(ctx context.Context, c *Client) error { _, err := c.GetConnectWebview(ctx, "cw1"); return err }},
	{"/connect_webviews/list", read, func(ctx context.Context, c *Client) error {
		_, err := collect(c.ListConnectWebviews(ctx, ConnectWebviewFilter{}))
		return err
	}},
	{"/connect_webviews/delete", idempotent, func(ctx context.Context, c *Client) error { return c.DeleteConnectWebview(ctx, "cw1") }},
	{"/access_codes/create", write, func(ctx context.Context, c *Client) error {
		_, _, err := c.CreateAccessCode(ctx, AccessCodeCreate{DeviceID: "d1"})
		return err
	}},
	{"/access_codes/get", read, func(ctx context.Context, c *Client) error { _, err := c.GetAccessCode(ctx, "ac1"); return err }},
	{"/access_codes/list", read, func(ctx context.Context, c *Client) error {
		_, err := collect(c.ListAccessCodes(ctx, AccessCodeFilter{DeviceID: "d1"}))
		return err
	}},
	{"/access_codes/update", idempotent, func(ctx context.Context, c *Client) error {
		_, err := c.UpdateAccessCode(ctx, AccessCodeUpdate{AccessCodeID: "ac1"})
		return err
	}},
	{"/access_codes/delete", idempotent, func(ctx context.Context, c *Client) error { _, err := c.DeleteAccessCode(ctx, "ac1"); return err }},
	{"/access_codes/create_multiple", write, func(ctx context.Context, c *Client) error {
		_, err := c.CreateAccessCodes(ctx, AccessCodesCreate{DeviceIDs: []string{"d1"}})
		return err
	}},
	{"/access_codes/update_multiple", idempotent, func(ctx context.Context, c *Client) error {
		return c.UpdateAccessCodes(ctx, AccessCodesUpdate{CommonCodeKey: "k1"})
	}},
	{"/devices/unmanaged/get", read, func(ctx context.Context, c *Client) error { _, err := c.GetUnmanagedDevice(ctx, "d1"); return err }},
	{"/devices/unmanaged/list", read, func(ctx context.Context, c *Client) error {
		_, err := collect(c.ListUnmanagedDevices(ctx, DeviceFilter{}))
		return err
	}},
	{"/devices/unmanaged/update", idempotent, func(ctx context.Context, c *Client) error { return c.ManageDevice(ctx, "d1") }},
	{"/access_codes/unmanaged/get", read, func(ctx context.Context, c *Client) error {
		_, err := c.GetUnmanagedAccessCode(ctx, "ac1")
		return err
	}},
	{"/access_codes/unmanaged/list", read, func(ctx context.Context, c *Client) error {
		_, err := collect(c.ListUnmanagedAccessCodes(ctx, "d1", 0))
		return err
	}},
	{"/access_codes/unmanaged/convert_to_managed", write, func(ctx context.Context, c *Client) error {
		_, err := c.ConvertAccessCodeToManaged(ctx, "ac1", nil)
		return err
	}},
	{"/access_codes/unmanaged/delete", idempotent, func(ctx context.Context, c *Client) error {
		_, err := c.DeleteUnmanagedAccessCode(ctx, "ac1")
		return err
	}},
	{"/events/list", read, func(ctx context.Context, c *Client) error {
		_, err := c.CompletedFirstSync(ctx, "ca1", time.Now())
		return err
	}},
	{"/action_attempts/get", read, func(ctx context.Context, c *Client) error { _, err := c.GetActionAttempt(ctx, "aa1"); return err }},
	{"/locks/unlock_door", write, func(ctx context.Context, c *Client) error { _, err := c.UnlockDoor(ctx, "d1"); return err }},
	{"/workspaces/credentials/upsert", idempotent, func(ctx context.Context, c *Client) error {
		_, err := c.UpsertWorkspaceCredential(ctx, "BUTTERFLY_API_TOKEN", "v")
		return err
	}},
	{"/workspaces/credentials/get", read, func(ctx context.Context, c *Client) error {
		_, err := c.GetWorkspaceCredential(ctx, "BUTTERFLY_API_TOKEN")
		return err
	}},
	{"/workspaces/credentials/list", read, func(ctx context.Context, c *Client) error { _, err := c.ListWorkspaceCredentials(ctx); return err }},
	{"/workspaces/credentials/delete", idempotent, func(ctx context.Context, c *Client) error {
		return c.DeleteWorkspaceCredential(ctx, "BUTTERFLY_API_TOKEN")
	}},
}

// TestRetryClassOfEveryRoute calls each route against a server that answers
// 502 every time, with one retry allowed: a write is sent once (a 502 may
// hide a write that happened), a read or idempotent write twice, and the
// retry's log line names the class.
func TestRetryClassOfEveryRoute(t *testing.T) {
	for _, tc := range routeClasses {
		t.Run(strings.TrimPrefix(tc.route, "/"), func(t *testing.T) {
			f := newFake(t)
			f.on(tc.route, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
				seamError(w, http.StatusBadGateway, "bad_gateway", "upstream failed")
			})
			logs := &logRecorder{}
			c := f.client(func(cfg *Config) { cfg.MaxRetries = 1; cfg.Logger = logs.log })
			if err := tc.call(context.Background(), c); err == nil {
				t.Fatal("a 502 on every attempt gave no error")
			}
			wantAttempts := 2
			if tc.class == write {
				wantAttempts = 1
			}
			if got := f.count(tc.route); got != wantAttempts {
				t.Errorf("%s (%s) was sent %d times after a 502, want %d", tc.route, tc.class, got, wantAttempts)
			}
			var classes []any
			for _, l := range logs.all() {
				if l.msg == "seam retry" {
					classes = append(classes, l.fields["class"])
				}
			}
			if tc.class == write && len(classes) != 0 || tc.class != write && !slices.Equal(classes, []any{tc.class.String()}) {
				t.Errorf("%s: retries logged with classes %v, want one retry of class %q (none for a write)", tc.route, classes, tc.class)
			}
		})
	}
}

// routeLiteral is a string that names a Seam route.
var routeLiteral = regexp.MustCompile(`^/[a-z_]+(/[a-z_]+)+$`)

// notSeamRoutes look like routes but are ButterflyMX's OAuth paths, which
// golang.org/x/oauth2 calls once, without the client's retries.
var notSeamRoutes = map[string]bool{"/oauth/authorize": true, "/oauth/token": true}

// TestRetryClassTableCoversEveryRoute finds every route the client's source
// names and checks that routeClasses pins it, so a new route cannot go
// without a pinned class.
func TestRetryClassTableCoversEveryRoute(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	pinned := map[string]bool{}
	for _, tc := range routeClasses {
		pinned[tc.route] = true
	}
	fset := token.NewFileSet()
	found := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
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
			found++
			if !pinned[s] {
				t.Errorf("%s: route %s has no pinned retry class in routeClasses", fset.Position(lit.Pos()), s)
			}
			return true
		})
	}
	if found < len(routeClasses) {
		t.Errorf("found %d route literals in the client's source, fewer than the %d pinned routes", found, len(routeClasses))
	}
}
