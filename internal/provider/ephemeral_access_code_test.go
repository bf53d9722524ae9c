package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// pinSinkConfig reads a code's PIN with the ephemeral resource and hands
// value (an expression over ephemeral.butterflymx_access_code.pin) to the
// sink's write-only argument.
func pinSinkConfig(srv *emulator.Server, accessCodeID, value string, version int) string {
	return providerBlock(srv) + pinSink(accessCodeID, value, version)
}

func pinSink(accessCodeID, value string, version int) string {
	return fmt.Sprintf(`
ephemeral "butterflymx_access_code" "pin" {
  access_code_id = %s
}

resource "sink_secret" "s" {
  value_wo         = %s
  value_wo_version = %d
}
`, accessCodeID, value, version)
}

// createCode makes a managed code behind Terraform's back; pin nil lets
// Seam generate it. It returns the code as Seam holds it.
func createCode(t *testing.T, client *seam.Client, deviceID, name string, pin *string) *seam.AccessCode {
	t.Helper()
	ac, _, err := client.CreateAccessCode(context.Background(), seam.AccessCodeCreate{DeviceID: deviceID, Name: &name, Code: pin})
	if err != nil || ac.Code == nil {
		t.Fatalf("creating a code: %+v, %v", ac, err)
	}
	return ac
}

// The PIN read by the ephemeral resource reaches the sink's write-only
// argument, exactly, and is in neither the state (file and show -json) nor
// the saved plan (show -json, raw bytes, each entry of the archive). A
// generated PIN too, and the code's other attributes come along.
func TestAccAccessCodeEphemeral_toWriteOnly(t *testing.T) {
	t.Parallel()
	dir := t.TempDir() // the CLI's working directories, for nowhereOnDisk
	srv := startEmulator(t)
	client := emulatorClient(t, srv)
	panel := codeIntercom(t, srv)
	chosen := createCode(t, client, panel.DeviceID, "Dog walker", strPtr("730519"))
	generated := createCode(t, client, panel.DeviceID, "Plumber", nil)
	rec := &sinkRecorder{}
	pin := func(ac *seam.AccessCode) func() string { return func() string { return *ac.Code } }
	everything := `"${ephemeral.butterflymx_access_code.pin.code}/${ephemeral.butterflymx_access_code.pin.name}/` +
		`${ephemeral.butterflymx_access_code.pin.device_id}/${ephemeral.butterflymx_access_code.pin.status}"`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: withSink(rec),
		TerraformVersionChecks:   writeOnlyCLIs,
		WorkingDir:               dir,
		Steps: []resource.TestStep{
			{
				Config: pinSinkConfig(srv, fmt.Sprintf("%q", chosen.AccessCodeID), "ephemeral.butterflymx_access_code.pin.code", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					notInPlan(pin(chosen)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expectNotInState(*chosen.Code)},
				Check: resource.ComposeTestCheckFunc(
					sinkReceived(rec, "730519"),
					nowhereOnDisk(dir, pin(chosen)),
				),
			},
			{
				// A generated PIN, with the name, panel and status beside it.
				Config: pinSinkConfig(srv, fmt.Sprintf("%q", generated.AccessCodeID), everything, 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					notInPlan(pin(generated)),
					plancheck.ExpectResourceAction("sink_secret.s", plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expectNotInState(*chosen.Code, *generated.Code)},
				Check: resource.ComposeTestCheckFunc(
					sinkReceived(rec, "730519", *generated.Code+"/Plumber/"+panel.DeviceID+"/set"),
					nowhereOnDisk(dir, pin(generated)),
					nowhereOnDisk(dir, pin(chosen)),
				),
			},
			{
				// Nothing changed: the PIN is read again, nothing is re-sent.
				Config:   pinSinkConfig(srv, fmt.Sprintf("%q", generated.AccessCodeID), everything, 2),
				PlanOnly: true,
			},
		},
	})
}

// An access code created in the same run: its id is unknown at plan, so
// the ephemeral resource opens during the apply, after the code exists,
// and the sink gets the PIN Seam generated.
func TestAccAccessCodeEphemeral_sameRun(t *testing.T) {
	srv := startEmulator(t)
	panel := codeIntercom(t, srv)
	rec := &sinkRecorder{}
	var pin string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: withSink(rec),
		TerraformVersionChecks:   writeOnlyCLIs,
		Steps: []resource.TestStep{{
			Config: acConfig(srv, panel.DeviceID, `name = "Visitor"`) +
				pinSink("butterflymx_access_code.test.id", "ephemeral.butterflymx_access_code.pin.code", 1),
			Check: resource.ComposeTestCheckFunc(
				captureAttr(acAddr, "code", &pin),
				func(s *terraform.State) error { return sinkReceived(rec, pin)(s) },
			),
		}},
	})
}

// A code Seam reports without its PIN yet (code null,
// is_waiting_for_code_assignment): the ephemeral resource waits for the PIN
// and the sink gets it.
func TestAccAccessCodeEphemeral_pinAssignedLate(t *testing.T) {
	srv := startEmulator(t, func(o *emulator.Options) { o.PINAssignDelay = 2 * time.Second })
	client := emulatorClient(t, srv)
	ac, _, err := client.CreateAccessCode(context.Background(), seam.AccessCodeCreate{DeviceID: codeIntercom(t, srv).DeviceID,
		Name: strPtr("Locksmith")})
	if err != nil || ac.Code != nil {
		t.Fatalf("the emulator should hold the PIN back: %+v, %v", ac, err)
	}
	rec := &sinkRecorder{}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: withSink(rec),
		TerraformVersionChecks:   writeOnlyCLIs,
		Steps: []resource.TestStep{{
			Config: pinSinkConfig(srv, fmt.Sprintf("%q", ac.AccessCodeID), "ephemeral.butterflymx_access_code.pin.code", 1),
			Check: func(s *terraform.State) error {
				now, err := client.GetAccessCode(context.Background(), ac.AccessCodeID)
				if err != nil || now.Code == nil {
					return fmt.Errorf("Seam has no PIN for the code yet: %w", err)
				}
				return sinkReceived(rec, *now.Code)(s)
			},
		}},
	})
}

// An unknown id fails the run, naming access_code_id; a malformed one fails
// the plan; nothing is written.
func TestAccAccessCodeEphemeral_badInput(t *testing.T) {
	srv := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: withSink(&sinkRecorder{}),
		TerraformVersionChecks:   writeOnlyCLIs,
		Steps: []resource.TestStep{
			{
				Config:      pinSinkConfig(srv, `"3f6a0c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"`, "ephemeral.butterflymx_access_code.pin.code", 1),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Access code not found.*3f6a0c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b.*access_code_id`),
			},
			{
				Config:      pinSinkConfig(srv, `"front-door"`, "ephemeral.butterflymx_access_code.pin.code", 1),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)access_code_id.*must be a Seam access code id`),
			},
		},
	})
	expectNoWrites(t, srv)
}
