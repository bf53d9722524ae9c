package provider

import (
	"context"
	"fmt"
	"iter"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// eachIntercom yields the panels that match the filters of the
// butterflymx_intercoms data source, every page, managed ones first (then
// the unmanaged ones with include_unmanaged). It is the one place those
// filters are applied: the data source and the list resource use it. A
// problem is reported in diags and ends the sequence.
func eachIntercom(ctx context.Context, c *seam.Client, cfg intercomsDataSourceModel, diags *diag.Diagnostics) iter.Seq[seam.Device] {
	return func(yield func(seam.Device) bool) {
		filter, keep := intercomFilter(ctx, cfg, diags)
		if diags.HasError() {
			return
		}
		lists := []iter.Seq2[seam.Device, error]{c.ListDevices(ctx, filter)}
		if cfg.IncludeUnmanaged.ValueBool() {
			lists = append(lists, c.ListUnmanagedDevices(ctx, filter))
		}
		for _, list := range lists {
			for device, err := range list {
				if err != nil {
					diags.AddError("Could not list intercom panels", err.Error())
					return
				}
				if keep(device) && !yield(device) {
					return
				}
			}
		}
	}
}

// intercomFilter is what Seam filters (the request) and what the provider
// filters after (keep).
func intercomFilter(ctx context.Context, cfg intercomsDataSourceModel, diags *diag.Diagnostics) (seam.DeviceFilter, func(seam.Device) bool) {
	filter := seam.DeviceFilter{
		ConnectedAccountID: cfg.ConnectedAccountID.ValueString(),
		DeviceTypes:        []string{seam.DeviceTypeButterflyMXPanel},
	}
	if !cfg.ConnectedAccountIDs.IsNull() {
		diags.Append(cfg.ConnectedAccountIDs.ElementsAs(ctx, &filter.ConnectedAccountIDs, false)...)
	}
	if !cfg.DeviceTypes.IsNull() {
		diags.Append(cfg.DeviceTypes.ElementsAs(ctx, &filter.DeviceTypes, false)...)
	}
	var metadataHas map[string]string
	if !cfg.CustomMetadataHas.IsNull() {
		diags.Append(cfg.CustomMetadataHas.ElementsAs(ctx, &metadataHas, false)...)
		filter.CustomMetadataHas = metadataFilter(metadataHas)
	}
	var nameRegex *regexp.Regexp
	if !cfg.NameRegex.IsNull() {
		// Validated at plan time, unless the pattern was unknown then.
		re, err := regexp.Compile(cfg.NameRegex.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("name_regex"), "Invalid regular expression",
				fmt.Sprintf("name_regex is not a valid RE2 regular expression: %s.", err))
		}
		nameRegex = re
	}
	keep := func(device seam.Device) bool {
		name := intercomName(device)
		switch {
		case !cfg.Name.IsNull() && name != cfg.Name.ValueString(),
			nameRegex != nil && !nameRegex.MatchString(name),
			!cfg.Online.IsNull() && device.Properties.Online != cfg.Online.ValueBool(),
			!cfg.CanRemotelyUnlock.IsNull() && seam.Flag(device.CanRemotelyUnlock) != cfg.CanRemotelyUnlock.ValueBool(),
			!cfg.CanProgramOnlineAccessCodes.IsNull() &&
				seam.Flag(device.CanProgramOnlineAccessCodes) != cfg.CanProgramOnlineAccessCodes.ValueBool(),
			!metadataHasAll(device.CustomMetadata, metadataHas):
			return false
		}
		return true
	}
	return filter, keep
}
