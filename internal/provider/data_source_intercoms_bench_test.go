package provider

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// benchDevices are n panels as a large portfolio lists them.
func benchDevices(n int) []seam.Device {
	out := make([]seam.Device, n)
	yes := true
	for i := range out {
		out[i] = seam.Device{DeviceID: fmt.Sprintf("be0c0000-0000-4000-8000-%012d", i), ConnectedAccountID: "acct",
			DisplayName: fmt.Sprintf("Panel %d", i), DeviceType: seam.DeviceTypeButterflyMXPanel, IsManaged: true,
			CreatedAt: time.Unix(1700000000, 0), CanRemotelyUnlock: &yes, CanProgramOnlineAccessCodes: &yes,
			CustomMetadata: seam.Metadata{"building": "A"}}
		out[i].Properties.Online = true
		out[i].Properties.SupportedCodeLengths = []int{4, 5, 6}
	}
	return out
}

// BenchmarkIntercomsState is the state of a butterflymx_intercoms read of
// 5,000 panels, as Read builds it (without the API calls).
func BenchmarkIntercomsState(b *testing.B) {
	ctx := context.Background()
	var sresp datasource.SchemaResponse
	NewIntercomsDataSource().Schema(ctx, datasource.SchemaRequest{}, &sresp)
	devices := benchDevices(5000)
	b.ResetTimer()
	for b.Loop() {
		state := tfsdk.State{Schema: sresp.Schema, Raw: tftypes.NewValue(sresp.Schema.Type().TerraformType(ctx), nil)}
		cfg := intercomsDataSourceModel{ConnectedAccountIDs: types.ListNull(types.StringType),
			CustomMetadataHas: types.MapNull(types.StringType), DeviceTypes: types.ListNull(types.StringType)}
		var ids []string
		for _, device := range devices {
			panel, _ := newIntercomModel(ctx, device)
			cfg.Intercoms = append(cfg.Intercoms, panel)
			ids = append(ids, device.DeviceID)
		}
		cfg.DeviceIDs = stringListValue(ids)
		if diags := setWithObjectList(ctx, &state, &cfg, "intercoms", intercomObjectType(), &cfg.Intercoms); diags.HasError() {
			b.Fatal(diags)
		}
	}
}
