package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// mergingSeam is the emulator behind a proxy that gives /devices/update and
// /connected_accounts/update merge semantics for custom_metadata: the keys
// sent are set (a null removes one), the others stay. Seam's reference only
// promises replacement for connected accounts; the provider must work
// either way. It returns the proxy's URL.
func mergingSeam(t *testing.T, srv *emulator.Server) string {
	client := emulatorClient(t, srv)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/devices/update" && r.URL.Path != "/connected_accounts/update" {
			srv.Emulator.ServeHTTP(w, r)
			return
		}
		raw, err := io.ReadAll(r.Body)
		var body map[string]any
		if err == nil {
			err = json.Unmarshal(raw, &body)
		}
		if sent, ok := body["custom_metadata"].(map[string]any); err == nil && ok {
			var have seam.Metadata
			if r.URL.Path == "/devices/update" {
				var d *seam.Device
				if d, err = client.GetDevice(r.Context(), fmt.Sprint(body["device_id"])); err == nil {
					have = d.CustomMetadata
				}
			} else {
				var a *seam.ConnectedAccount
				if a, err = client.GetConnectedAccount(r.Context(), fmt.Sprint(body["connected_account_id"])); err == nil {
					have = a.CustomMetadata
				}
			}
			merged := map[string]any{}
			maps.Copy(merged, have)
			maps.Copy(merged, sent) // nulls stay null: the emulator drops them
			body["custom_metadata"] = merged
			raw, _ = json.Marshal(body)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(raw))
		r.ContentLength = int64(len(raw))
		srv.Emulator.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)
	return proxy.URL
}

func mergingProvider(endpoint string, srv *emulator.Server) string {
	return fmt.Sprintf(`
provider "butterflymx" {
  endpoint = %q
  api_key  = %q
}
`, endpoint, srv.APIKey)
}

// Removing a custom_metadata key removes it from the panel, also when Seam
// merges the metadata sent with what it has.
func TestAccIntercomResource_metadataKeyRemoved(t *testing.T) {
	srv := startEmulator(t)
	endpoint := mergingSeam(t, srv)
	panel := healthyIntercom(t, srv)
	addr := "butterflymx_intercom.lobby"
	config := func(metadata string) string {
		return mergingProvider(endpoint, srv) + fmt.Sprintf(`
resource "butterflymx_intercom" "lobby" {
  device_id       = %q
  custom_metadata = %s
}
`, panel.DeviceID, metadata)
	}
	only := func(want seam.Metadata) func(*terraform.State) error {
		return func(*terraform.State) error {
			d, err := getDevice(t, srv, panel.DeviceID)
			if err != nil {
				return err
			}
			if !maps.Equal(d.CustomMetadata, want) {
				return fmt.Errorf("panel %s has custom_metadata %v in Seam, want %v", panel.DeviceID, d.CustomMetadata, want)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(`{ a = "1", b = "2" }`),
				Check:  only(seam.Metadata{"a": "1", "b": "2"}),
			},
			{
				Config: config(`{ a = "1" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_metadata"), knownvalue.MapExact(map[string]knownvalue.Check{
						"a": knownvalue.StringExact("1"),
					})),
				},
				Check: only(seam.Metadata{"a": "1"}),
			},
			{
				// A key added outside Terraform goes too.
				PreConfig: func() {
					err := emulatorClient(t, srv).UpdateDevice(context.Background(), seam.DeviceUpdate{DeviceID: panel.DeviceID,
						CustomMetadata: seam.Metadata{"a": "1", "outside": "x"}})
					if err != nil {
						t.Fatal(err)
					}
				},
				Config: config(`{ a = "1" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: only(seam.Metadata{"a": "1"}),
			},
		},
	})
}

// The same for a connected account's custom_metadata.
func TestAccConnectedAccount_metadataKeyRemoved(t *testing.T) {
	srv := startEmulator(t)
	endpoint := mergingSeam(t, srv)
	client := emulatorClient(t, srv)
	addr := "butterflymx_connected_account.test"
	id := emulator.DemoMapleCourtAccountID
	config := func(metadata string) string {
		return mergingProvider(endpoint, srv) + fmt.Sprintf(`
resource "butterflymx_connected_account" "test" {
  connected_account_id  = %q
  custom_metadata       = %s
  disconnect_on_destroy = false
}
`, id, metadata)
	}
	only := func(want seam.Metadata) func(*terraform.State) error {
		return func(*terraform.State) error {
			a, err := client.GetConnectedAccount(context.Background(), id)
			if err != nil {
				return err
			}
			if !maps.Equal(a.CustomMetadata, want) {
				return fmt.Errorf("account %s has custom_metadata %v in Seam, want %v", id, a.CustomMetadata, want)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(`{ a = "1", b = "2" }`),
				Check:  only(seam.Metadata{"a": "1", "b": "2"}),
			},
			{
				Config: config(`{ a = "1" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_metadata"), knownvalue.MapExact(map[string]knownvalue.Check{
						"a": knownvalue.StringExact("1"),
					})),
				},
				Check: only(seam.Metadata{"a": "1"}),
			},
		},
	})
}
