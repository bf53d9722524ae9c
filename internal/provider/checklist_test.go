package provider

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// These tests back the steps of "Adding a resource" in DEVELOPERS.md that
// a reviewer could miss: each names what is missing.

// registered is the type names of the provider's resources, data sources
// and actions.
func registered(t *testing.T) (resources, dataSources, actions []string) {
	t.Helper()
	p := &butterflymxProvider{}
	ctx := context.Background()
	for _, f := range p.Resources(ctx) {
		var resp resource.MetadataResponse
		f().Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "butterflymx"}, &resp)
		resources = append(resources, resp.TypeName)
	}
	for _, f := range p.DataSources(ctx) {
		var resp datasource.MetadataResponse
		f().Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "butterflymx"}, &resp)
		dataSources = append(dataSources, resp.TypeName)
	}
	for _, f := range p.Actions(ctx) {
		var resp action.MetadataResponse
		f().Metadata(ctx, action.MetadataRequest{ProviderTypeName: "butterflymx"}, &resp)
		actions = append(actions, resp.TypeName)
	}
	return resources, dataSources, actions
}

// testNames is every test function of this package.
func testNames(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && strings.HasPrefix(fn.Name.Name, "Test") {
				names[fn.Name.Name] = true
			}
		}
	}
	return names
}

// camel is the Go name of a type: butterflymx_access_code -> AccessCode.
func camel(typeName string) string {
	var b strings.Builder
	for _, w := range strings.Split(strings.TrimPrefix(typeName, "butterflymx_"), "_") {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

func mustExist(t *testing.T, path, why string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join("..", "..", path)); err != nil {
		t.Errorf("%s is missing: %s", path, why)
	}
}

// TestChecklist_docsAndExamples: every resource, data source and action has
// its examples (tfplugindocs picks them up by these names) and its page in
// docs/ (make docs), and every example directory is a registered type.
func TestChecklist_docsAndExamples(t *testing.T) {
	resources, dataSources, actions := registered(t)
	known := map[string]bool{}
	for _, r := range resources {
		known["resources/"+r] = true
		short := strings.TrimPrefix(r, "butterflymx_")
		for _, f := range []string{"resource.tf", "import.sh", "import-by-string-id.tf", "import-by-identity.tf"} {
			mustExist(t, "examples/resources/"+r+"/"+f, "an example of the resource")
		}
		mustExist(t, "docs/resources/"+short+".md", "run make docs")
	}
	for _, d := range dataSources {
		known["data-sources/"+d] = true
		mustExist(t, "examples/data-sources/"+d+"/data-source.tf", "an example of the data source")
		mustExist(t, "docs/data-sources/"+strings.TrimPrefix(d, "butterflymx_")+".md", "run make docs")
	}
	for _, a := range actions {
		known["actions/"+a] = true
		mustExist(t, "docs/actions/"+strings.TrimPrefix(a, "butterflymx_")+".md", "run make docs")
	}
	for _, kind := range []string{"resources", "data-sources", "actions"} {
		dirs, err := os.ReadDir(filepath.Join("..", "..", "examples", kind))
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range dirs {
			if !known[kind+"/"+d.Name()] {
				t.Errorf("examples/%s/%s has no registered type: add it to provider.go", kind, d.Name())
			}
		}
	}
}

// takesNoInput are the types a user cannot give a bad input.
var takesNoInput = map[string]bool{"butterflymx_workspace": true, "butterflymx_webhooks": true}

// TestChecklist_testsAndBadInput: every resource and data source has
// acceptance tests named after it (TestAcc<Name>_, TestAcc<Name>Resource_
// or TestAcc<Name>DataSource_) and at least one bad input refused at plan
// time (in badInputCases, or its own TestAcc<Name>..._badInput).
func TestChecklist_testsAndBadInput(t *testing.T) {
	resources, dataSources, _ := registered(t)
	names := testNames(t)
	srv := startEmulator(t)
	var configs strings.Builder
	for _, c := range badInputCases(srv, "d") {
		configs.WriteString(c.config)
	}
	check := func(block, typeName string, prefixes ...string) {
		hasAcc, hasBad := false, false
		for n := range names {
			for _, p := range prefixes {
				if strings.HasPrefix(strings.ToLower(n), strings.ToLower(p)) {
					hasAcc = true
					hasBad = hasBad || strings.HasSuffix(n, "_badInput")
				}
			}
		}
		if !hasAcc {
			t.Errorf("%s has no acceptance test named %s<case>", typeName, prefixes[0])
		}
		if !hasBad && !takesNoInput[typeName] && !strings.Contains(configs.String(), block+` "`+typeName+`"`) {
			t.Errorf("%s has no bad input: add a case to badInputCases, or a %sbadInput test ending in expectNoWrites", typeName, prefixes[0])
		}
	}
	for _, r := range resources {
		check("resource", r, "TestAcc"+camel(r)+"_", "TestAcc"+camel(r)+"Resource_")
	}
	for _, d := range dataSources {
		check("data", d, "TestAcc"+camel(d)+"DataSource_")
	}
}

// lostReplies says, for every write the client never repeats after a lost
// reply (retry class write), how the provider finds out whether it
// happened: the test that loses the reply of a create and finds what it
// made, or, for a write that is not a create, why repeating it by hand is
// harmless.
var lostReplies = map[string]struct{ test, why string }{
	"/access_codes/create":          {test: "TestAccAccessCode_lostCreateReply"},
	"/access_codes/create_multiple": {test: "TestAccSharedAccessCode_lostCreateReply"},
	"/connected_accounts/create":    {test: "TestAccConnectedAccount_oauthLostCreateReply"},
	"/connect_webviews/create":      {test: "TestConnectWebview_CreateInterrupted"},
	"/webhooks/create":              {test: "TestAccWebhook_lostCreateReply"},
	"/access_codes/unmanaged/convert_to_managed": {why: "converting keeps the code's id; after a lost reply takeOver " +
		"waits for the code to read as managed, and a second conversion answers not found"},
	"/locks/unlock_door": {why: "an unlock creates nothing; the action reports the failure and the user decides"},
}

// TestChecklist_lostCreateRecovery: every write route the client does not
// retry has an entry in lostReplies, and a create's entry names a test of
// this package.
func TestChecklist_lostCreateRecovery(t *testing.T) {
	names := testNames(t)
	for _, r := range seam.Routes() {
		if r.Retry != "write" {
			continue
		}
		e, ok := lostReplies[r.Path]
		switch {
		case !ok:
			t.Errorf("%s is never retried: add it to lostReplies with the test that loses its reply and finds what it made", r.Path)
		case strings.HasSuffix(r.Path, "/create") || strings.HasSuffix(r.Path, "/create_multiple"):
			if !names[e.test] {
				t.Errorf("%s creates: lostReplies must name its lost-reply test (%q is not a test here)", r.Path, e.test)
			}
		case e.test == "" && e.why == "":
			t.Errorf("%s: say why a lost reply needs no recovery", r.Path)
		}
	}
}

// TestChecklist_ephemeralResources: every ephemeral resource has its
// example and its page in docs/, acceptance tests named
// TestAcc<Name>Ephemeral_<case> with a _badInput among them, and every
// example directory is a registered type.
func TestChecklist_ephemeralResources(t *testing.T) {
	ctx := context.Background()
	names := testNames(t)
	known := map[string]bool{}
	for _, f := range (&butterflymxProvider{}).EphemeralResources(ctx) {
		var resp ephemeral.MetadataResponse
		f().Metadata(ctx, ephemeral.MetadataRequest{ProviderTypeName: "butterflymx"}, &resp)
		known[resp.TypeName] = true
		mustExist(t, "examples/ephemeral-resources/"+resp.TypeName+"/ephemeral-resource.tf", "an example of the ephemeral resource")
		mustExist(t, "docs/ephemeral-resources/"+strings.TrimPrefix(resp.TypeName, "butterflymx_")+".md", "run make docs")
		if prefix := "TestAcc" + camel(resp.TypeName) + "Ephemeral_"; !names[prefix+"badInput"] {
			t.Errorf("%s has no acceptance test %sbadInput", resp.TypeName, prefix)
		}
	}
	dirs, err := os.ReadDir(filepath.Join("..", "..", "examples", "ephemeral-resources"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !known[d.Name()] {
			t.Errorf("examples/ephemeral-resources/%s has no registered type: add it to provider.go", d.Name())
		}
	}
}
