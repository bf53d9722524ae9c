package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// A shared PIN never leaves a code that no state knows: whatever ends its
// create, and whether Seam keeps a caller's common_code_key or not.

// partialCreate proxies to the emulator, and makes the first
// /access_codes/create_multiple behave like a Seam that creates the codes
// one by one and fails on the last panel: the codes of the other panels are
// made, then the reply is a 409 (cut = false) or never comes (cut = true).
// made holds the ids of the codes the emulator created.
type partialCreate struct {
	url  string
	done atomic.Bool
	mu   sync.Mutex
	made []string
}

func newPartialCreate(t *testing.T, srv *emulator.Server, cut bool) *partialCreate {
	t.Helper()
	target, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	pc := &partialCreate{}
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/access_codes/create_multiple" || !pc.done.CompareAndSwap(false, true) {
			proxy.ServeHTTP(w, r)
			return
		}
		pc.createAllButLast(t, proxy, r)
		if cut {
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				_ = conn.Close()
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusConflict)
		_, _ = io.WriteString(w, `{"ok":false,"error":{"type":"duplicate_access_code","message":"A code with this PIN already exists on the device"}}`)
	}))
	t.Cleanup(front.Close)
	pc.url = front.URL
	return pc
}

// createAllButLast sends the request on with its last device left out.
func (pc *partialCreate) createAllButLast(t *testing.T, proxy *httputil.ReverseProxy, r *http.Request) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		t.Errorf("create_multiple body: %v", err)
		return
	}
	ids, _ := body["device_ids"].([]any)
	body["device_ids"] = ids[:len(ids)-1]
	raw, _ := json.Marshal(body)
	fwd := r.Clone(r.Context())
	fwd.Body, fwd.ContentLength = io.NopCloser(bytes.NewReader(raw)), int64(len(raw))
	rec := httptest.NewRecorder()
	proxy.ServeHTTP(rec, fwd)
	var reply struct {
		AccessCodes []seam.AccessCode `json:"access_codes"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &reply)
	pc.mu.Lock()
	defer pc.mu.Unlock()
	for _, ac := range reply.AccessCodes {
		pc.made = append(pc.made, ac.AccessCodeID)
	}
}

// madeCodesGone checks that the codes the partial create made were in
// state: the replacement of the tainted resource deleted them.
func (pc *partialCreate) madeCodesGone(t *testing.T, srv *emulator.Server, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		pc.mu.Lock()
		defer pc.mu.Unlock()
		if len(pc.made) != want {
			return fmt.Errorf("the partial create made %d codes, want %d", len(pc.made), want)
		}
		for _, id := range pc.made {
			if _, err := emulatorClient(t, srv).GetAccessCode(context.Background(), id); !seam.IsNotFound(err) {
				return fmt.Errorf("code %s made before the failure is still in Seam (%w): it never reached state", id, err)
			}
		}
		return nil
	}
}

// TestAccSharedAccessCode_conflictAfterTwoCreates: Seam answers 409 on the
// third panel after creating the code on two. The apply fails, the two
// codes are in state (tainted): the next plan replaces them, the apply
// deletes them and creates the shared code on all three, and destroy
// leaves nothing.
func TestAccSharedAccessCode_conflictAfterTwoCreates(t *testing.T) {
	srv := startEmulator(t)
	pc := newPartialCreate(t, srv, false)
	panels := []string{emulator.DemoMapleCourtLobbyID, emulator.DemoMapleCourtGarageID, emulator.DemoHarborViewMainEntranceID}
	cfg := strings.Replace(sharedConfig(srv, panels, `name = "Cleaner"`, `code = "58213"`),
		fmt.Sprintf("endpoint = %q", srv.URL), fmt.Sprintf("endpoint = %q", pc.url), 1)
	var seen sharedSeen
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             noCodeWithKey(t, srv, &seen),
		Steps: []resource.TestStep{
			{Config: cfg, ExpectError: errorMatching("PIN already in use on a panel", "created the code on 2 of the 3 panels", "recorded in state")},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(sharedAddr, plancheck.ResourceActionReplace),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					pc.madeCodesGone(t, srv, 2),
					sharedInSeam(t, srv, &seen, panels, nil),
				),
			},
		},
	})
}

// TestAccSharedAccessCode_cutCreateRecordsCodes: the connection drops after
// Seam made the code on two of the three panels. The provider finds both,
// keeps them, and creates the code on the third only: one apply, no
// duplicate, nothing left after destroy.
func TestAccSharedAccessCode_cutCreateRecordsCodes(t *testing.T) {
	srv := startEmulator(t)
	pc := newPartialCreate(t, srv, true)
	panels := []string{emulator.DemoMapleCourtLobbyID, emulator.DemoMapleCourtGarageID, emulator.DemoHarborViewMainEntranceID}
	cfg := strings.Replace(sharedConfig(srv, panels, `name = "Cleaner"`),
		fmt.Sprintf("endpoint = %q", srv.URL), fmt.Sprintf("endpoint = %q", pc.url), 1)
	var seen sharedSeen
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             noCodeWithKey(t, srv, &seen),
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: resource.ComposeAggregateTestCheckFunc(
				sharedInSeam(t, srv, &seen, panels, nil),
				func(*terraform.State) error {
					pc.mu.Lock()
					defer pc.mu.Unlock()
					if len(pc.made) != 2 {
						return fmt.Errorf("the cut create made %d codes, want 2", len(pc.made))
					}
					for _, id := range pc.made {
						if !seen.ids[id] {
							return fmt.Errorf("code %s made before the cut is not in state", id)
						}
					}
					if n := srv.Emulator.Stats().Calls["/access_codes/create_multiple"]; n != 2 {
						return fmt.Errorf("want 2 create_multiple calls (the cut one, then the missing panel), got %d", n)
					}
					return nil
				},
			),
		}},
	})
}

// TestAccSharedAccessCode_seamKeepsNoCallerKey: against a Seam that keeps no
// common_code_key a caller passes, a chosen PIN on three panels applies,
// re-plans empty and destroys leaving no PIN; a generated PIN extended to a
// new panel (created with the key, which Seam drops) is still one shared
// code: renamed on every panel, destroyed on every panel.
func TestAccSharedAccessCode_seamKeepsNoCallerKey(t *testing.T) {
	srv := startEmulator(t, func(o *emulator.Options) { o.IgnoreCommonCodeKey = true })
	lobby, garage, main, pool := emulator.DemoMapleCourtLobbyID, emulator.DemoMapleCourtGarageID,
		emulator.DemoHarborViewMainEntranceID, emulator.DemoHarborViewPoolGateID
	three := []string{lobby, garage, main}
	var seen sharedSeen
	named := func(name string) func(ac seam.AccessCode) error {
		return func(ac seam.AccessCode) error {
			if ac.Name == nil || *ac.Name != name {
				return fmt.Errorf("name %v, want %q", ac.Name, name)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             noCodeWithKey(t, srv, &seen),
		Steps: []resource.TestStep{
			{
				Config: sharedConfig(srv, three, `name = "Nanny"`, `code = "48213"`),
				Check:  sharedInSeam(t, srv, &seen, three, named("Nanny")),
			},
			{
				Config: sharedConfig(srv, three, `name = "Nanny (weekends)"`, `code = "48213"`),
				Check:  sharedInSeam(t, srv, &seen, three, named("Nanny (weekends)")),
			},
			{
				Config:  sharedConfig(srv, three, `name = "Nanny (weekends)"`, `code = "48213"`),
				Destroy: true,
			},
			{Config: sharedConfig(srv, three, `name = "Gardener"`)},
			{
				Config: sharedConfig(srv, append(three, pool), `name = "Gardener"`),
				Check:  sharedInSeam(t, srv, &seen, append(three, pool), named("Gardener")),
			},
			{
				Config: sharedConfig(srv, append(three, pool), `name = "Gardener (spring)"`),
				Check:  sharedInSeam(t, srv, &seen, append(three, pool), named("Gardener (spring)")),
			},
		},
	})
}

// TestAccSharedAccessCode_externalCodeWithKey: a code made outside
// Terraform on another panel with the shared code's key shows in the plan
// (its panel is one to remove), and the apply deletes it.
func TestAccSharedAccessCode_externalCodeWithKey(t *testing.T) {
	srv := startEmulator(t)
	panels := []string{emulator.DemoMapleCourtLobbyID, emulator.DemoMapleCourtGarageID}
	var seen sharedSeen
	var stray string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             noCodeWithKey(t, srv, &seen),
		Steps: []resource.TestStep{
			{
				Config: sharedConfig(srv, panels, `name = "Plumber"`),
				Check:  sharedInSeam(t, srv, &seen, panels, nil),
			},
			{
				PreConfig: func() {
					ac, _, err := emulatorClient(t, srv).CreateAccessCode(context.Background(), seam.AccessCodeCreate{
						DeviceID: emulator.DemoHarborViewMainEntranceID, Name: strPtr("Plumber"), CommonCodeKey: &seen.key})
					if err != nil {
						t.Fatalf("a code with the key outside Terraform: %v", err)
					}
					stray = ac.AccessCodeID
				},
				Config: sharedConfig(srv, panels, `name = "Plumber"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(sharedAddr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					sharedInSeam(t, srv, &seen, panels, nil),
					codeGone(t, srv, &stray),
				),
			},
		},
	})
}

// TestAccSharedAccessCode_destroyWaitsWithoutWaitForSet: with wait_for_set
// = false, destroy still returns only once no panel has the code (Seam
// keeps a deleted code removing for a while).
func TestAccSharedAccessCode_destroyWaitsWithoutWaitForSet(t *testing.T) {
	srv := startEmulator(t, func(o *emulator.Options) { o.SetDelay, o.RemovalLag = 2*time.Second, 2*time.Second })
	panels := []string{emulator.DemoMapleCourtLobbyID, emulator.DemoMapleCourtGarageID}
	var seen sharedSeen
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             noCodeWithKey(t, srv, &seen),
		Steps: []resource.TestStep{{
			Config: sharedConfig(srv, panels, `name = "Painter"`, `code = "70314"`, `wait_for_set = false`),
			Check: func(s *terraform.State) error {
				seen.ids = map[string]bool{}
				for k, id := range s.RootModule().Resources[sharedAddr].Primary.Attributes {
					if strings.HasSuffix(k, ".access_code_id") {
						seen.ids[id] = true
					}
				}
				if len(seen.ids) == 0 {
					return fmt.Errorf("no codes in state")
				}
				return nil
			},
		}},
	})
}

// TestAccSharedAccessCode_pinChecksEveryPanel: the single code's PIN checks
// run on every panel at plan, before anything is written: an unmanaged code
// holding the PIN on the last panel, and another code of the configuration
// planning the PIN on one of the panels.
func TestAccSharedAccessCode_pinChecksEveryPanel(t *testing.T) {
	srv := startEmulator(t)
	panels := []string{emulator.DemoMapleCourtLobbyID, emulator.DemoMapleCourtGarageID, emulator.DemoHarborViewMainEntranceID}
	if _, err := srv.Emulator.AddUnmanagedAccessCode(panels[2], "Front desk", "58213"); err != nil {
		t.Fatal(err)
	}
	single := fmt.Sprintf(`
resource "butterflymx_access_code" "other" {
  device_id = %q
  name      = "Courier"
  code      = "60794"
}
`, panels[1])
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      sharedConfig(srv, panels, `name = "Cleaner"`, `code = "58213"`),
				ExpectError: errorMatching("PIN already held by an unmanaged code on the panel", "Front desk"),
			},
			{
				Config:      sharedConfig(srv, panels, `name = "Cleaner"`, `code = "60794"`) + single,
				ExpectError: errorMatching("Same PIN twice on one panel", panels[1]),
			},
		},
	})
	expectNoWrites(t, srv)
}
