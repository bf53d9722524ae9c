package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// What every resource, data source, list resource, ephemeral resource and
// action shares: the provider's configuration as Configure resolved it, and
// the reads and records of one run.

// providerData is what Configure hands to every resource and data source.
type providerData struct {
	client *seam.Client
	// butterflyAPIToken is the default value of butterflymx_workspace_credential.
	butterflyAPIToken string
	// oauth is nil unless butterflymx_oauth is configured.
	oauth *seam.OAuthConfig
	// devices shares the reads of devices (panels) and of their access codes during
	// this configuration's plan, refresh or apply (device_reads.go).
	devices *deviceReads
	// clock is the clock of the schedule checks; nil means the machine's.
	clock func() time.Time
	// claims are the objects creates have recorded, for lost creates.
	claims *createClaims
	// pins are the plan-time PIN checks across codes.
	pins *planPINs
	// killedRun finds, at plan, codes a killed run made (killed_run_codes.go).
	killedRun *killedRunWatch
}

// now is the time the schedule checks compare with: Seam's clock as the
// client learnt it from its replies, so a machine whose clock is off does
// not send a schedule Seam refuses.
func (d *providerData) now() time.Time {
	switch {
	case d == nil:
		return time.Now()
	case d.clock != nil:
		return d.clock()
	case d.client != nil:
		return d.client.Now()
	}
	return time.Now()
}

// device reads a panel for the plan-time and pre-write checks, sharing the
// read with the other resources of this run.
func (d *providerData) device(ctx context.Context, id string) (*seam.Device, error) {
	return d.devices.device(ctx, d.client, id)
}

// providerDataFrom checks what the provider's Configure handed over. It is
// nil before the provider is configured, or when the provider configuration
// had values unknown until apply.
func providerDataFrom(v any, diags *diag.Diagnostics) *providerData {
	if v == nil {
		return nil
	}
	data, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider.", v))
		return nil
	}
	return data
}

// requireClient reports an error when an operation needs the Seam API and the
// provider could not be configured yet.
func requireClient(data *providerData, diags *diag.Diagnostics) bool {
	if data == nil || data.client == nil {
		diags.AddError("Provider not configured",
			"The butterflymx provider configuration is not known yet (it may depend on a value computed during apply). "+
				"Apply the resources it depends on first, or set the credentials directly.")
		return false
	}
	return true
}
