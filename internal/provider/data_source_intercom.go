package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

var (
	_ datasource.DataSourceWithConfigure        = (*intercomDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*intercomDataSource)(nil)
)

// NewIntercomDataSource is the butterflymx_intercom data source: one panel,
// looked up by device id or by its exact name.
func NewIntercomDataSource() datasource.DataSource { return &intercomDataSource{} }

type intercomDataSource struct{ data *providerData }

func (d *intercomDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_intercom"
}

func (d *intercomDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := intercomAttributes()
	attrs["device_id"] = schema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: "Seam device id of the panel. Exactly one of `device_id` and `name` must be set.",
		Validators:          []validator.String{seamIDValidator("device")},
	}
	attrs["name"] = schema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: "Exact name of the panel as Seam shows it (case-sensitive). It is an error when no intercom, " +
			"or more than one, has this name; the error lists the candidates by device id. Exactly one of `device_id` and `name` must be set.",
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one intercom panel by `device_id` or by exact `name`. The attributes are those of one " +
			"entry of `butterflymx_intercoms`. A lookup by name searches every intercom device type (" +
			backquoted(intercomDeviceTypes) + ").",
		Attributes: attrs,
	}
}

func (d *intercomDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("device_id"), path.MatchRoot("name")),
	}
}

func (d *intercomDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *intercomDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg intercomModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !requireClient(d.data, &resp.Diagnostics) {
		return
	}

	var device *seam.Device
	if !cfg.DeviceID.IsNull() {
		// The panel read is shared with the plan-time checks of this run.
		device = findIntercomByID(ctx, d.data.device, cfg.DeviceID.ValueString(), path.Root("device_id"), &resp.Diagnostics)
	} else {
		device = findIntercomByName(ctx, d.data.client, cfg.Name.ValueString(), &resp.Diagnostics)
	}
	if device == nil || resp.Diagnostics.HasError() {
		return
	}
	intercom, diags := newIntercomModel(ctx, *device)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &intercom)...)
}

// deviceGetter reads a device: the client's GetDevice, or a shared read
// (providerData.device).
type deviceGetter func(ctx context.Context, id string) (*seam.Device, error)

// findIntercomByID reads a device and checks that it is an intercom panel. It
// reports an error on attr and returns nil when it is not.
func findIntercomByID(ctx context.Context, get deviceGetter, id string, attr path.Path, diags *diag.Diagnostics) *seam.Device {
	device, err := get(ctx, id)
	switch {
	case seam.IsNotFound(err):
		diags.AddAttributeError(attr, "Intercom panel not found",
			fmt.Sprintf("Seam has no device %q in this workspace (or it is no longer managed). "+
				"List the panels with the butterflymx_intercoms data source to find the right id.", id))
		return nil
	case err != nil:
		diags.AddAttributeError(attr, "Could not read intercom panel", fmt.Sprintf("Reading device %q: %s", id, err))
		return nil
	}
	if !slices.Contains(intercomDeviceTypes, device.DeviceType) {
		diags.AddAttributeError(attr, "Device is not an intercom panel",
			fmt.Sprintf("Device %q (%q) is a %s; this provider manages intercom panels (%s).",
				id, intercomName(*device), device.DeviceType, strings.Join(intercomDeviceTypes, ", ")))
		return nil
	}
	return device
}

// findIntercomByName lists every intercom and returns the one whose name is
// exactly name. None, or several, is an error that lists the candidates.
func findIntercomByName(ctx context.Context, c *seam.Client, name string, diags *diag.Diagnostics) *seam.Device {
	var matches []seam.Device
	var similar []string
	for device, err := range c.ListDevices(ctx, seam.DeviceFilter{DeviceTypes: intercomDeviceTypes}) {
		if err != nil {
			diags.AddError("Could not list intercom panels", err.Error())
			return nil
		}
		switch n := intercomName(device); {
		case n == name:
			matches = append(matches, device)
		case strings.EqualFold(strings.TrimSpace(n), strings.TrimSpace(name)) && len(similar) < 10:
			similar = append(similar, fmt.Sprintf("%q (%s)", n, device.DeviceID))
		}
	}
	switch len(matches) {
	case 1:
		return &matches[0]
	case 0:
		detail := fmt.Sprintf("No intercom panel (%s) in this workspace is named %q.", strings.Join(intercomDeviceTypes, ", "), name)
		if len(similar) > 0 {
			detail += " Names differing only in case or spacing: " + strings.Join(similar, ", ") + "."
		}
		diags.AddAttributeError(path.Root("name"), "Intercom panel not found", detail+
			" Names are matched exactly; use the butterflymx_intercoms data source with name_regex for a looser match.")
	default:
		lines := make([]string, 0, len(matches))
		for _, m := range matches {
			lines = append(lines, fmt.Sprintf("  - %s (%s, connected account %s)", m.DeviceID, m.DeviceType, m.ConnectedAccountID))
		}
		diags.AddAttributeError(path.Root("name"), "Ambiguous intercom panel name",
			fmt.Sprintf("%d intercom panels are named %q:\n%s\nLook the panel up by device_id instead, "+
				"or use the butterflymx_intercoms data source with connected_account_id and name.", len(matches), name, strings.Join(lines, "\n")))
	}
	return nil
}
