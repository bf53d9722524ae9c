package provider

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// sink is a provider that exists only in the tests: its one resource,
// sink_secret, takes a write-only value (value_wo, re-sent when
// value_wo_version changes), the way a secrets manager takes a secret. It
// records every value it receives, so a test can tell that an ephemeral
// value reached another provider's write-only argument.

// sinkRecorder holds what sink_secret received, in order.
type sinkRecorder struct {
	mu     sync.Mutex
	values []string
}

func (r *sinkRecorder) add(v string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.values = append(r.values, v)
}

func (r *sinkRecorder) received() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.values)
}

// withSink is testProviderFactories plus the sink provider, which records
// into rec.
func withSink(rec *sinkRecorder) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"butterflymx": testProviderFactories["butterflymx"],
		"sink":        providerserver.NewProtocol6WithError(&sinkProvider{rec: rec}),
	}
}

type sinkProvider struct{ rec *sinkRecorder }

func (p *sinkProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "sink"
}

func (p *sinkProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (p *sinkProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *sinkProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return &sinkSecret{rec: p.rec} }}
}

func (p *sinkProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

type sinkSecret struct{ rec *sinkRecorder }

type sinkSecretModel struct {
	ID      types.String `tfsdk:"id"`
	Value   types.String `tfsdk:"value_wo"`
	Version types.Int64  `tfsdk:"value_wo_version"`
}

func (s *sinkSecret) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "sink_secret"
}

func (s *sinkSecret) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"id":               schema.StringAttribute{Computed: true},
		"value_wo":         schema.StringAttribute{Required: true, WriteOnly: true, Sensitive: true},
		"value_wo_version": schema.Int64Attribute{Required: true},
	}}
}

// take records the write-only value, which only the configuration holds,
// and saves the state without it.
func (s *sinkSecret) take(ctx context.Context, config tfsdk.Config, state *tfsdk.State, diags *diag.Diagnostics) {
	var cfg sinkSecretModel
	diags.Append(config.Get(ctx, &cfg)...)
	s.rec.add(cfg.Value.ValueString())
	diags.Append(state.Set(ctx, sinkSecretModel{ID: types.StringValue("sink"), Value: types.StringNull(), Version: cfg.Version})...)
}

func (s *sinkSecret) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	s.take(ctx, req.Config, &resp.State, &resp.Diagnostics)
}

func (s *sinkSecret) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (s *sinkSecret) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	s.take(ctx, req.Config, &resp.State, &resp.Diagnostics)
}

func (s *sinkSecret) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// sinkReceived checks that the sink received exactly want, in order.
func sinkReceived(rec *sinkRecorder, want ...string) func(*terraform.State) error {
	return func(*terraform.State) error {
		if got := rec.received(); !slices.Equal(got, want) {
			return fmt.Errorf("the sink received %d values %s, want %d (%s)", len(got), masked(got), len(want), masked(want))
		}
		return nil
	}
}

// masked shows values by length and first character, not in full.
func masked(vs []string) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = fmt.Sprintf("%.1s… (%d chars)", v, len(v))
	}
	return "[" + strings.Join(out, ", ") + "]"
}

// nowhereOnDisk fails when secret is in any file of the CLI's working
// directories under dir (state, its backups, the saved plan as raw bytes and
// each of the plan's zip entries), and when no state file or saved plan was
// there to look at.
func nowhereOnDisk(dir string, secret func() string) func(*terraform.State) error {
	return func(*terraform.State) error {
		s := secret()
		var states, plans int
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if holdsSecret(b, s) {
				return fmt.Errorf("the secret is in %s", filepath.Base(p))
			}
			switch d.Name() {
			case "terraform.tfstate":
				states++
			case "tfplan":
				plans++
				return zipEntriesWithout(p, b, s)
			}
			return nil
		})
		if err == nil && (states == 0 || plans == 0) {
			err = fmt.Errorf("found %d state files and %d saved plans under the working directories: nothing to check", states, plans)
		}
		return err
	}
}

// zipEntriesWithout checks each entry of a saved plan (a zip archive).
func zipEntriesWithout(name string, b []byte, secret string) error {
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return fmt.Errorf("%s is not a saved plan: %w", name, err)
	}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			return err
		}
		content, err := io.ReadAll(r)
		_ = r.Close()
		if err != nil {
			return err
		}
		if holdsSecret(content, secret) {
			return fmt.Errorf("the secret is in the saved plan's %s", f.Name)
		}
	}
	return nil
}

// notInPlan fails when secret is anywhere in `show -json` of the saved plan.
type notInPlan func() string

func (n notInPlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	b, err := json.Marshal(req.Plan)
	if err != nil {
		resp.Error = err
		return
	}
	if holdsSecret(b, n()) {
		resp.Error = fmt.Errorf("the secret is in show -json of the saved plan")
	}
}

// The leak checks find a PIN stored as a value, and not one that a longer
// run of digits happens to contain.
func TestHoldsSecret(t *testing.T) {
	for b, want := range map[string]bool{
		`{"code":"730519"}`:  true,
		"\xa6730519\xa4name": true,
		"730519":             true,
		`"created_at":"2026-12-05T01:27:35.1730519Z"`: false,
		`"id":"5eed0000-7305190-a1"`:                  false,
		`"serial":1730519`:                            false,
		`{"code":"730518"}`:                           false,
	} {
		if got := holdsSecret([]byte(b), "730519"); got != want {
			t.Errorf("holdsSecret(%q) = %v, want %v", b, got, want)
		}
	}
}
