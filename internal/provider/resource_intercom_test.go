package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

func intercomConfig(srv *emulator.Server, deviceID, body string) string {
	return providerBlock(srv) + fmt.Sprintf(`
resource "butterflymx_intercom" "lobby" {
  device_id = %q
%s}
`, deviceID, body)
}

// expectDevice checks the panel as the emulator has it.
func expectDevice(t *testing.T, srv *emulator.Server, id, name string, metadata seam.Metadata) func(*terraform.State) error {
	return func(*terraform.State) error {
		d, err := getDevice(t, srv, id)
		if err != nil {
			return err
		}
		if got := intercomName(*d); got != name {
			return fmt.Errorf("panel %s is named %q in Seam, want %q", id, got, name)
		}
		if metadata != nil && !maps.Equal(d.CustomMetadata, metadata) {
			return fmt.Errorf("panel %s has custom_metadata %v in Seam, want %v", id, d.CustomMetadata, metadata)
		}
		return nil
	}
}

func noDeviceUpdates(srv *emulator.Server) func(*terraform.State) error {
	return func(*terraform.State) error {
		if n := srv.Emulator.Stats().Calls["/devices/update"]; n != 0 {
			return fmt.Errorf("expected no /devices/update call, the emulator served %d", n)
		}
		return nil
	}
}

// Adopt, rename, change metadata, drift, stop managing, import.
func TestAccIntercomResource_lifecycle(t *testing.T) {
	srv := startEmulator(t)
	p := healthyIntercom(t, srv)
	original := intercomName(p)
	originalMetadata, _ := metadataValue(p.CustomMetadata)
	addr := "butterflymx_intercom.lobby"
	managed := `
  name            = "Lobby North"
  custom_metadata = { building = "harbor-view", role = "main-entrance" }
`
	fewerKeys := `
  name            = "Lobby North"
  custom_metadata = { building = "harbor-view-2" }
`
	rename := func(name string) func() {
		return func() {
			if err := srv.Emulator.UpdateDevice(p.DeviceID, emulator.DeviceChange{Name: &name}); err != nil {
				t.Fatalf("renaming behind Terraform's back: %v", err)
			}
		}
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			// Destroy forgets the panel: it is still managed, with its settings.
			return expectDevice(t, srv, p.DeviceID, "Front Door", seam.Metadata{"building": "harbor-view-2"})(nil)
		},
		Steps: []tfresource.TestStep{
			{
				// Adopting without arguments changes nothing in Seam.
				PreConfig: srv.Emulator.ResetStats,
				Config:    intercomConfig(srv, p.DeviceID, ""),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("name")),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("unmanage_on_destroy"), knownvalue.Bool(false)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("device_id"), knownvalue.StringExact(p.DeviceID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(original)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_metadata"), knownvalue.MapSizeExact(len(originalMetadata.Elements()))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("connected_account_id"), knownvalue.StringExact(p.ConnectedAccountID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("device_type"), knownvalue.StringExact("butterflymx_panel")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("manufacturer"), knownvalue.StringExact("butterflymx")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("online"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("can_remotely_unlock"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("can_program_online_access_codes"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("unmanage_on_destroy"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("timeouts"), knownvalue.Null()),
				},
				Check: noDeviceUpdates(srv),
			},
			{
				// Rename and set metadata.
				Config: intercomConfig(srv, p.DeviceID, managed),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("connected_account_id"), knownvalue.StringExact(p.ConnectedAccountID)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Lobby North")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_metadata"), knownvalue.MapExact(map[string]knownvalue.Check{
						"building": knownvalue.StringExact("harbor-view"), "role": knownvalue.StringExact("main-entrance")})),
				},
				Check: expectDevice(t, srv, p.DeviceID, "Lobby North", seam.Metadata{"building": "harbor-view", "role": "main-entrance"}),
			},
			{
				// The metadata object is replaced as a whole: role is gone.
				Config: intercomConfig(srv, p.DeviceID, fewerKeys),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: expectDevice(t, srv, p.DeviceID, "Lobby North", seam.Metadata{"building": "harbor-view-2"}),
			},
			{
				// Renamed outside Terraform: the plan puts the name back.
				PreConfig: rename("Renamed In Console"),
				Config:    intercomConfig(srv, p.DeviceID, fewerKeys),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Lobby North")),
				}},
				Check: expectDevice(t, srv, p.DeviceID, "Lobby North", nil),
			},
			{
				// Drift seen by a plan alone.
				PreConfig:          rename("Renamed Again"),
				Config:             intercomConfig(srv, p.DeviceID, fewerKeys),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				// Metadata changed outside Terraform: put back too.
				PreConfig: func() {
					err := emulatorClient(t, srv).UpdateDevice(context.Background(), seam.DeviceUpdate{
						DeviceID: p.DeviceID, CustomMetadata: seam.Metadata{"building": "other", "extra": true}})
					if err != nil {
						t.Fatal(err)
					}
				},
				Config: intercomConfig(srv, p.DeviceID, fewerKeys),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: expectDevice(t, srv, p.DeviceID, "Lobby North", seam.Metadata{"building": "harbor-view-2"}),
			},
			{
				// No longer managing name and metadata: nothing to do, values kept.
				PreConfig: srv.Emulator.ResetStats,
				Config:    intercomConfig(srv, p.DeviceID, ""),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Lobby North")),
				},
				Check: noDeviceUpdates(srv),
			},
			{
				// An unmanaged name follows renames without a diff.
				PreConfig: rename("Front Door"),
				Config:    intercomConfig(srv, p.DeviceID, ""),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Front Door")),
				},
			},
			{
				ResourceName:                         addr,
				ImportState:                          true,
				ImportStateId:                        p.DeviceID,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "device_id",
			},
			{
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: tfresource.ImportBlockWithID,
				ImportStateId:   p.DeviceID,
				ImportPlanChecks: tfresource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Front Door")),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("unmanage_on_destroy"), knownvalue.Bool(false)),
				}},
			},
		},
	})
}

// Resource identity (Terraform and OpenTofu 1.12+).
func TestAccIntercomResource_identity(t *testing.T) {
	srv := startEmulator(t)
	p := healthyIntercom(t, srv)
	addr := "butterflymx_intercom.lobby"
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		Steps: []tfresource.TestStep{
			{
				Config: intercomConfig(srv, p.DeviceID, `  custom_metadata = { building = "harbor-view" }`+"\n"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{"device_id": knownvalue.StringExact(p.DeviceID)}),
					statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New("device_id")),
				},
			},
			{
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: tfresource.ImportBlockWithResourceIdentity,
			},
		},
	})
}

func TestAccIntercomResource_badDevice(t *testing.T) {
	srv := startEmulator(t)
	twoN := listIntercoms(t, srv, seam.DeviceFilter{DeviceTypes: []string{seam.DeviceTypeTwoNIntercom}})
	const missing = "00000000-0000-4000-8000-000000000000"
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []tfresource.TestStep{
			{
				Config:      intercomConfig(srv, missing, ""),
				ExpectError: regexp.MustCompile(`(?s)Intercom panel not found.*` + missing + `.*adopts a panel that already exists`),
			},
			{
				Config:      intercomConfig(srv, "lobby", ""),
				ExpectError: regexp.MustCompile(`(?s)device_id.*must be a Seam device id`),
			},
			{
				Config:      intercomConfig(srv, twoN[0].DeviceID, `  name = ""`+"\n"),
				ExpectError: regexp.MustCompile(`(?s)name.*length`),
			},
			{
				// 2N intercoms are intercom panels too.
				Config: intercomConfig(srv, twoN[0].DeviceID, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("butterflymx_intercom.lobby", tfjsonpath.New("device_type"), knownvalue.StringExact("two_n_intercom")),
				},
			},
			{
				ResourceName:  "butterflymx_intercom.lobby",
				ImportState:   true,
				ImportStateId: "not-a-uuid",
				ExpectError:   regexp.MustCompile(`Invalid import id`),
			},
			{
				ResourceName:  "butterflymx_intercom.lobby",
				ImportState:   true,
				ImportStateId: missing,
				ExpectError:   regexp.MustCompile(`(?i)cannot import non-existent remote object`),
			},
		},
	})
	expectNoWrites(t, srv)
}

// unmanage_on_destroy marks the panel unmanaged in Seam.
func TestAccIntercomResource_unmanageOnDestroy(t *testing.T) {
	srv := startEmulator(t)
	p := healthyIntercom(t, srv)
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			_, err := getDevice(t, srv, p.DeviceID)
			if !seam.IsNotFound(err) {
				return fmt.Errorf("after destroy, /devices/get %s should say device_not_found (unmanaged), got %w", p.DeviceID, err)
			}
			if managed, err := unmanagedDeviceIsManaged(srv, p.DeviceID); err != nil || managed {
				return fmt.Errorf("after destroy, /devices/unmanaged/get %s should find it unmanaged: is_managed %v, error %w", p.DeviceID, managed, err)
			}
			if n := srv.Emulator.Stats().Calls["/devices/update"]; n != 1 {
				return fmt.Errorf("expected one /devices/update (is_managed = false), got %d", n)
			}
			return nil
		},
		Steps: []tfresource.TestStep{{
			PreConfig: srv.Emulator.ResetStats,
			Config:    intercomConfig(srv, p.DeviceID, "  unmanage_on_destroy = true\n"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("butterflymx_intercom.lobby", tfjsonpath.New("unmanage_on_destroy"), knownvalue.Bool(true)),
			},
		}},
	})
}

// A panel that disappears from Seam leaves the state on the next refresh.
func TestAccIntercomResource_disappears(t *testing.T) {
	srv := startEmulator(t)
	p := healthyIntercom(t, srv)
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []tfresource.TestStep{
			{
				Config: intercomConfig(srv, p.DeviceID, ""),
			},
			{
				// The building's account is deleted in Seam: its panels go with
				// it. The refresh drops the panel from state, and the plan to
				// adopt it again fails at plan time, not at apply.
				PreConfig:   func() { deleteAccount(t, srv, p.ConnectedAccountID, p.DeviceID) },
				Config:      intercomConfig(srv, p.DeviceID, ""),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Intercom panel not found.*` + p.DeviceID),
			},
			{
				// Adopting it again fails clearly.
				Config:      intercomConfig(srv, p.DeviceID, ""),
				ExpectError: regexp.MustCompile(`(?s)Intercom panel not found.*` + p.DeviceID),
			},
		},
	})
}

// Read on a panel that is gone removes it and warns with its id (the CLI
// shows the warning; this checks it at the framework level).
func TestIntercomResourceRead_goneWarns(t *testing.T) {
	srv := startEmulator(t)
	p := healthyIntercom(t, srv)
	ctx := context.Background()
	r := &intercomResource{data: &providerData{client: emulatorClient(t, srv)}}

	var schemaResp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &schemaResp)
	var idResp resource.IdentitySchemaResponse
	r.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &idResp)

	read := func() *resource.ReadResponse {
		state := tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), nil)}
		diags := state.SetAttribute(ctx, path.Root("device_id"), p.DeviceID)
		if diags.HasError() {
			t.Fatalf("building state: %v", diags)
		}
		identity := &tfsdk.ResourceIdentity{Schema: idResp.IdentitySchema,
			Raw: tftypes.NewValue(idResp.IdentitySchema.Type().TerraformType(ctx), nil)}
		resp := &resource.ReadResponse{State: state, Identity: identity}
		r.Read(ctx, resource.ReadRequest{State: state}, resp)
		return resp
	}

	resp := read()
	if resp.Diagnostics.HasError() || resp.State.Raw.IsNull() {
		t.Fatalf("reading a live panel: diags %v, state null %v", resp.Diagnostics, resp.State.Raw.IsNull())
	}
	var model intercomResourceModel
	resp.State.Get(ctx, &model)
	if model.Name.ValueString() != intercomName(p) || !model.UnmanageOnDestroy.Equal(types.BoolValue(false)) {
		t.Errorf("read state: name %s, unmanage_on_destroy %s", model.Name, model.UnmanageOnDestroy)
	}

	deleteAccount(t, srv, p.ConnectedAccountID, p.DeviceID)
	resp = read()
	if resp.Diagnostics.HasError() {
		t.Fatalf("reading a gone panel must not fail: %v", resp.Diagnostics)
	}
	if !resp.State.Raw.IsNull() {
		t.Error("reading a gone panel must remove it from the state")
	}
	warnings := resp.Diagnostics.Warnings()
	if len(warnings) != 1 || !strings.Contains(warnings[0].Detail(), p.DeviceID) {
		t.Fatalf("expected one warning naming %s, got %v", p.DeviceID, resp.Diagnostics)
	}
	t.Logf("warning: %s: %s", warnings[0].Summary(), warnings[0].Detail())
}

// deleteAccount deletes a connected account through the API, which removes
// its devices, and checks that deviceID is gone.
func deleteAccount(t *testing.T, srv *emulator.Server, accountID, deviceID string) {
	t.Helper()
	if err := emulatorClient(t, srv).DeleteConnectedAccount(context.Background(), accountID); err != nil {
		t.Fatalf("deleting the connected account: %v", err)
	}
	if _, err := getDevice(t, srv, deviceID); !seam.IsNotFound(err) {
		t.Fatalf("after deleting its account, panel %s should be gone; /devices/get says %v", deviceID, err)
	}
}

// unmanagedDeviceIsManaged reads /devices/unmanaged/get, which the Seam
// client does not wrap, and returns the device's is_managed.
func unmanagedDeviceIsManaged(srv *emulator.Server, id string) (bool, error) {
	body, _ := json.Marshal(map[string]string{"device_id": id})
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/devices/unmanaged/get", bytes.NewReader(body))
	if err != nil {
		return false, err
	}
	req.Header.Set("Authorization", "Bearer "+srv.APIKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false, err
	}
	defer func() { _ = resp.Body.Close() }()
	var out struct {
		Device *struct {
			IsManaged bool `json:"is_managed"`
		} `json:"device"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return false, err
	}
	if resp.StatusCode != http.StatusOK || out.Device == nil {
		return false, fmt.Errorf("/devices/unmanaged/get: HTTP %d", resp.StatusCode)
	}
	return out.Device.IsManaged, nil
}
