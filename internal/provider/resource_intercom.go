package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

var (
	_ resource.ResourceWithConfigure   = (*intercomResource)(nil)
	_ resource.ResourceWithImportState = (*intercomResource)(nil)
	_ resource.ResourceWithIdentity    = (*intercomResource)(nil)
)

// Default timeouts of butterflymx_intercom. Every operation is one or two
// API calls; the margin is for retries after 429s and 5xx replies.
const (
	intercomCreateTimeout = 5 * time.Minute
	intercomReadTimeout   = 2 * time.Minute
	intercomUpdateTimeout = 5 * time.Minute
	intercomDeleteTimeout = 5 * time.Minute
)

// NewIntercomResource is the butterflymx_intercom resource: it adopts an
// existing panel and manages its name and custom metadata.
func NewIntercomResource() resource.Resource { return &intercomResource{} }

type intercomResource struct{ data *providerData }

type intercomResourceModel struct {
	DeviceID                    types.String   `tfsdk:"device_id"`
	Name                        types.String   `tfsdk:"name"`
	CustomMetadata              types.Map      `tfsdk:"custom_metadata"`
	UnmanageOnDestroy           types.Bool     `tfsdk:"unmanage_on_destroy"`
	ConnectedAccountID          types.String   `tfsdk:"connected_account_id"`
	IsManaged                   types.Bool     `tfsdk:"is_managed"`
	DeviceType                  types.String   `tfsdk:"device_type"`
	Manufacturer                types.String   `tfsdk:"manufacturer"`
	Model                       types.String   `tfsdk:"model"`
	Online                      types.Bool     `tfsdk:"online"`
	CanRemotelyUnlock           types.Bool     `tfsdk:"can_remotely_unlock"`
	CanProgramOnlineAccessCodes types.Bool     `tfsdk:"can_program_online_access_codes"`
	CanUnlockWithCode           types.Bool     `tfsdk:"can_unlock_with_code"`
	LocationName                types.String   `tfsdk:"location_name"`
	TimeZone                    types.String   `tfsdk:"time_zone"`
	SupportedCodeLengths        types.List     `tfsdk:"supported_code_lengths"`
	CreatedAt                   types.String   `tfsdk:"created_at"`
	Timeouts                    timeouts.Value `tfsdk:"timeouts"`
}

type intercomIdentityModel struct {
	DeviceID types.String `tfsdk:"device_id"`
}

func (r *intercomResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_intercom"
}

func (r *intercomResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	str := func(desc string) schema.Attribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	boolean := func(desc string) schema.Attribute {
		return schema.BoolAttribute{Computed: true, MarkdownDescription: desc}
	}

	to := timeoutsAttribute(ctx, timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
		CreateDescription: fmt.Sprintf("Time allowed to read the panel and apply its settings. Defaults to `%s`.", intercomCreateTimeout),
		ReadDescription:   fmt.Sprintf("Time allowed to read the panel. Defaults to `%s`.", intercomReadTimeout),
		UpdateDescription: fmt.Sprintf("Time allowed to apply a change. Defaults to `%s`.", intercomUpdateTimeout),
		DeleteDescription: fmt.Sprintf("Time allowed to unmanage the panel when `unmanage_on_destroy` is set. Defaults to `%s`.", intercomDeleteTimeout),
	})

	resp.Schema = schema.Schema{
		MarkdownDescription: "Adopts an existing intercom panel (a Seam device of type `butterflymx_panel`, or another intercom type) " +
			"and manages its name and custom metadata through `/devices/update`.\n\n" +
			"Seam has no API to create a panel: panels appear when a ButterflyMX account is connected. Creating this resource " +
			"reads the panel (it is an error when it does not exist) and then applies `name` and `custom_metadata`. " +
			"Destroying it only forgets the panel, unless `unmanage_on_destroy` is set.\n\n" +
			"A panel that Seam knows but does not manage (new panels of an account with " +
			"`automatically_manage_new_devices = false` arrive so; `butterflymx_intercoms` with `include_unmanaged = true` " +
			"lists them) is adopted: creating the resource makes it managed (`/devices/unmanaged/update`), and " +
			"`unmanage_on_destroy = true` hands it back on destroy.\n\n" +
			"If the panel disappears from Seam (its account was disconnected, or it was removed from the building), the next " +
			"refresh drops it from the state with a warning.",
		Attributes: map[string]schema.Attribute{
			"device_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Seam device id of the panel to adopt. Changing it adopts another panel (the old one is forgotten).",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{seamIDValidator("device")},
			},
			"name": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Name of the panel in Seam. When not set, the current name is kept and shown here; " +
					"when set, a rename made outside Terraform shows as a change.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1), nameValidator()},
			},
			"custom_metadata": schema.MapAttribute{
				Optional: true, Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Custom metadata of the panel (up to 50 keys, values up to 500 characters), usable with " +
					"`custom_metadata_has` in `butterflymx_intercoms`. When set, it **replaces** the panel's whole metadata object " +
					"(`{}` clears it). When not set, the metadata is not managed and the current value is shown here. Boolean " +
					"metadata values appear as `\"true\"` and `\"false\"`, and are written back as strings.",
				PlanModifiers: []planmodifier.Map{mapplanmodifier.UseStateForUnknown()},
				Validators:    customMetadataValidators(),
			},
			"unmanage_on_destroy": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "When `true`, destroying the resource also marks the panel as unmanaged in Seam " +
					"(`/devices/update` with `is_managed = false`): Seam stops managing it and its access codes until it is managed again. " +
					"Their PINs keep working, out of Terraform's reach, so destroy first waits for the Seam-managed codes on the panel " +
					"to be removed (codes destroyed in the same run) and fails, leaving the panel managed, if some stay. " +
					"Defaults to `false`: destroying only removes the panel from the Terraform state.",
			},
			"connected_account_id": stableComputedString("Connected account (ButterflyMX login) the panel belongs to."),
			"is_managed": schema.BoolAttribute{
				Computed: true,
				MarkdownDescription: "Whether Seam manages the panel: `true` once adopted. A panel that arrived " +
					"unmanaged (an account with `automatically_manage_new_devices = false`) is made managed when the resource " +
					"is created; one unmanaged outside Terraform (or imported while unmanaged) shows `false` and the next " +
					"apply manages it again. With `unmanage_on_destroy`, destroy hands it back.",
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"device_type":         stableComputedString(descIntercomDeviceType),
			"manufacturer":        stableComputedString(descIntercomManufacturer),
			"created_at":          stableComputedString(descIntercomCreated),
			"model":               str(descIntercomModel),
			"online":              boolean("Whether the panel was online when last read."),
			"can_remotely_unlock": boolean("Whether the door can be unlocked through Seam (see the `butterflymx_unlock_door` action)."),
			"can_program_online_access_codes": boolean("Whether the panel can hold PIN access codes programmed through Seam " +
				"(`butterflymx_access_code`)."),
			"can_unlock_with_code": boolean(descIntercomUnlockWithCode),
			"location_name":        str(descIntercomLocation),
			"time_zone":            str(descIntercomTimeZone),
			"supported_code_lengths": schema.ListAttribute{
				Computed: true, ElementType: types.Int64Type,
				MarkdownDescription: descIntercomCodeLengths,
			},
			"timeouts": to,
		},
	}
}

func (r *intercomResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"device_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "Seam device id of the panel.",
			},
		},
	}
}

func (r *intercomResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *intercomResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByID(ctx, req, resp, path.Root("device_id"), path.Root("device_id"), seamIDPattern.MatchString,
		"%q is not a Seam device id. Import a panel by its device id (a UUID), as listed by the butterflymx_intercoms data source.")
}

func (r *intercomResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan intercomResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, intercomCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	id := plan.DeviceID.ValueString()
	device, err := r.getOrAdopt(ctx, id)
	switch {
	case seam.IsNotFound(err):
		resp.Diagnostics.AddAttributeError(path.Root("device_id"), "Intercom panel not found",
			fmt.Sprintf("Seam has no device %q in this workspace, managed or not. butterflymx_intercom adopts a panel that already exists "+
				"(panels appear when a ButterflyMX account is connected; Seam has no API to create one). Check the id with the "+
				"butterflymx_intercoms data source (include_unmanaged = true also lists the panels Seam does not manage).", id))
		return
	case err != nil:
		resp.Diagnostics.AddError("Could not read intercom panel", fmt.Sprintf("Reading device %q: %s", id, err))
		return
	}
	if !slices.Contains(intercomDeviceTypes, device.DeviceType) {
		resp.Diagnostics.AddAttributeError(path.Root("device_id"), "Device is not an intercom panel",
			fmt.Sprintf("Device %q (%q) is a %s; butterflymx_intercom adopts intercom panels (%s).",
				id, intercomName(*device), device.DeviceType, strings.Join(intercomDeviceTypes, ", ")))
		return
	}
	tflog.Info(ctx, "adopting intercom panel", map[string]any{"device_id": id, "name": intercomName(*device)})

	if device = r.apply(ctx, device, plan, &resp.Diagnostics); device != nil {
		r.save(ctx, device, plan, &resp.State, resp.Identity, &resp.Diagnostics)
	}
}

func (r *intercomResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state intercomResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	timeout, diags := state.Timeouts.Read(ctx, intercomReadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	id := state.DeviceID.ValueString()
	// The identity is set even when the panel turns out to be gone: the
	// framework requires one after every Read (a read that follows an
	// import by id starts without it).
	setIdentity(ctx, resp.Identity, intercomIdentityModel{DeviceID: state.DeviceID}, &resp.Diagnostics)
	device, err := r.current(ctx, id)
	switch {
	case seam.IsNotFound(err):
		removeGone(ctx, resp, intercomIdentityModel{DeviceID: state.DeviceID}, "intercom panel", id,
			"Its connected account may have been disconnected, or the panel was removed. If it is still in the "+
				"configuration, the next apply fails to adopt it until it is back.")
		return
	case err != nil:
		resp.Diagnostics.AddError("Could not read intercom panel", fmt.Sprintf("Reading device %q: %s", id, err))
		return
	}
	r.save(ctx, device, state, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *intercomResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior intercomResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, intercomUpdateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	id := plan.DeviceID.ValueString()
	current, err := r.getOrAdopt(ctx, id)
	switch {
	case seam.IsNotFound(err):
		resp.Diagnostics.AddError("Intercom panel not found",
			fmt.Sprintf("Seam no longer has device %q, so its settings cannot be changed. Run a refresh: the panel is then "+
				"dropped from the state.", id))
		return
	case err != nil:
		resp.Diagnostics.AddError("Could not read intercom panel", fmt.Sprintf("Reading device %q: %s", id, err))
		return
	}
	if device := r.apply(ctx, current, plan, &resp.Diagnostics); device != nil {
		r.save(ctx, device, plan, &resp.State, resp.Identity, &resp.Diagnostics)
	}
}

func (r *intercomResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state intercomResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.DeviceID.ValueString()
	if !state.UnmanageOnDestroy.ValueBool() {
		tflog.Info(ctx, "forgetting intercom panel; it stays managed in Seam", map[string]any{"device_id": id})
		return
	}
	if !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, intercomDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	// Unmanaging hides the panel's managed codes from Seam's routes (and
	// from their butterflymx_access_code) while their PINs keep working:
	// wait for the codes destroyed in this run to go, and refuse when some
	// stay.
	if left, err := waitForNoManagedCodes(ctx, r.data.client, id); err != nil {
		resp.Diagnostics.AddError("Intercom panel not unmanaged: managed access codes are on it",
			fmt.Sprintf("unmanage_on_destroy would mark panel %q unmanaged in Seam while Seam-managed access codes are on it: "+
				"%s. Seam would stop managing them and their PINs would keep opening the door, out of Terraform's reach. "+
				"The panel stays managed and in state. Destroy those codes first (depends_on from the codes to this intercom "+
				"orders it in one configuration), or set unmanage_on_destroy = false to leave the panel managed. (%s)",
				id, codesList(left), err))
		return
	}
	unmanaged := false
	err := r.data.client.UpdateDevice(ctx, seam.DeviceUpdate{DeviceID: id, IsManaged: &unmanaged})
	if err != nil && !seam.IsNotFound(err) {
		resp.Diagnostics.AddError("Could not unmanage intercom panel", fmt.Sprintf("Setting is_managed = false on device %q: %s", id, err))
		return
	}
	tflog.Info(ctx, "unmanaged intercom panel", map[string]any{"device_id": id})
}

// apply sends the planned name and custom metadata when they differ from the
// panel's, and returns the panel as Seam has it afterwards (nil on error).
func (r *intercomResource) apply(ctx context.Context, device *seam.Device, plan intercomResourceModel, diags *diag.Diagnostics) *seam.Device {
	id := device.DeviceID
	update := seam.DeviceUpdate{DeviceID: id}
	changed := false
	if name := stringPointer(plan.Name); name != nil && *name != intercomName(*device) {
		update.Name = name
		changed = true
	}
	if !plan.CustomMetadata.IsNull() && !plan.CustomMetadata.IsUnknown() {
		have, ds := metadataValue(device.CustomMetadata)
		diags.Append(ds...)
		// A boolean stored in Seam reads as "true" or "false"; a
		// configuration that shows it that way leaves it a boolean.
		if !have.Equal(plan.CustomMetadata) {
			update.CustomMetadata = metadataUpdate(ctx, device.CustomMetadata, plan.CustomMetadata, diags)
			changed = true
		}
		if diags.HasError() {
			return nil
		}
	}
	if !changed {
		return device
	}
	tflog.Debug(ctx, "updating intercom panel", map[string]any{"device_id": id, "name": update.Name != nil,
		"custom_metadata_keys": slices.Sorted(maps.Keys(update.CustomMetadata))})
	if err := r.data.client.UpdateDevice(ctx, update); err != nil {
		diags.AddError("Could not update intercom panel", fmt.Sprintf("Updating device %q: %s", id, err))
		return nil
	}
	after, err := r.data.client.GetDevice(ctx, id)
	if err != nil {
		diags.AddError("Could not read intercom panel after update", fmt.Sprintf("Reading device %q: %s", id, err))
		return nil
	}
	return after
}

// save writes the panel and its identity into state; base is the plan or
// prior state.
func (r *intercomResource) save(ctx context.Context, device *seam.Device, base intercomResourceModel, out *tfsdk.State,
	identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	state, ds := intercomStateFrom(ctx, *device, base)
	diags.Append(ds...)
	if diags.HasError() {
		return
	}
	diags.Append(out.Set(ctx, &state)...)
	setIdentity(ctx, identity, intercomIdentityModel{DeviceID: base.DeviceID}, diags)
}

// intercomStateFrom is the state for device: the shared panel conversion,
// plus the arguments only the resource has, taken from base (plan or prior
// state) and normalised so that Read always writes the same values.
func intercomStateFrom(ctx context.Context, device seam.Device, base intercomResourceModel) (intercomResourceModel, diag.Diagnostics) {
	intercom, diags := newIntercomModel(ctx, device)
	unmanage := base.UnmanageOnDestroy
	if unmanage.IsNull() || unmanage.IsUnknown() {
		unmanage = types.BoolValue(false)
	}
	return intercomResourceModel{
		DeviceID:                    intercom.DeviceID,
		Name:                        intercom.Name,
		CustomMetadata:              intercom.CustomMetadata,
		UnmanageOnDestroy:           unmanage,
		ConnectedAccountID:          intercom.ConnectedAccountID,
		IsManaged:                   intercom.IsManaged,
		DeviceType:                  intercom.DeviceType,
		Manufacturer:                intercom.Manufacturer,
		Model:                       intercom.Model,
		Online:                      intercom.Online,
		CanRemotelyUnlock:           intercom.CanRemotelyUnlock,
		CanProgramOnlineAccessCodes: intercom.CanProgramOnlineAccessCodes,
		CanUnlockWithCode:           intercom.CanUnlockWithCode,
		LocationName:                intercom.LocationName,
		TimeZone:                    intercom.TimeZone,
		SupportedCodeLengths:        intercom.SupportedCodeLengths,
		CreatedAt:                   intercom.CreatedAt,
		Timeouts:                    timeoutsOrNull(ctx, base.Timeouts),
	}, diags
}
