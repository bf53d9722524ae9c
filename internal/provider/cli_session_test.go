package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/openintercom/terraform-provider-butterflymx/internal/rpcctx"
)

// Some CLI features have no step in terraform-plugin-testing: invoking an
// action from the command line (`apply -invoke`) and `terraform query
// -generate-config-out`. cliSession runs those commands with the CLI the
// acceptance tests use (TF_ACC_TERRAFORM_PATH), against this provider served
// from the test process, as resource.Test does.

// cliSession is a working directory and a provider the CLI reattaches to.
type cliSession struct {
	t   *testing.T
	cli string
	dir string
	env []string
}

// cliProviderAddress is the provider's address in the examples, which use
// the registry source.
const cliProviderAddress = "registry.terraform.io/openintercom/butterflymx"

// newTerraformSession skips the test unless acceptance tests are on and the
// CLI is Terraform at least major.minor; it then serves the provider and
// returns a session in an empty working directory.
func newTerraformSession(t *testing.T, major, minor int, feature string) *cliSession {
	t.Helper()
	cli := acceptanceCLI(t)
	name, maj, mnr := cliVersion(t, cli)
	if name != "Terraform" || maj < major || (maj == major && mnr < minor) {
		t.Skipf("%s needs Terraform %d.%d or later; this CLI is %s %d.%d", feature, major, minor, name, maj, mnr)
	}
	return newCLISession(t, cli, &butterflymxProvider{version: "test"})
}

// acceptanceCLI is the CLI of the acceptance tests (TF_ACC_TERRAFORM_PATH);
// it skips the test when acceptance tests are off or no CLI is named.
func acceptanceCLI(t *testing.T) string {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests are off (set TF_ACC=1)")
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Skip("TF_ACC_TERRAFORM_PATH names no CLI")
	}
	return cli
}

// newCLISession serves p from this process and returns a session of cli in
// an empty working directory.
func newCLISession(t *testing.T, cli string, p *butterflymxProvider) *cliSession {
	t.Helper()
	s := &cliSession{t: t, cli: cli, dir: t.TempDir()}
	s.env = append(os.Environ(), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "TF_REATTACH_PROVIDERS="+serveProvider(t, p))
	return s
}

// cliVersion reads the first line of `CLI version`: "Terraform v1.14.9" or
// "OpenTofu v1.12.0".
func cliVersion(t *testing.T, cli string) (name string, major, minor int) {
	t.Helper()
	out, err := exec.Command(cli, "version").Output()
	if err != nil {
		t.Fatalf("%s version: %v", cli, err)
	}
	m := regexp.MustCompile(`^(\S+) v(\d+)\.(\d+)\.`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("%s version printed %q", cli, out)
	}
	major, _ = strconv.Atoi(m[2])
	minor, _ = strconv.Atoi(m[3])
	return m[1], major, minor
}

// serveProvider serves p in this process until the test ends and returns
// the TF_REATTACH_PROVIDERS value that points the CLI at it. Its logs go
// where resource.Test sends them (the test sink: nowhere, unless TF_LOG or
// TF_ACC_LOG_PATH asks), so nothing process-wide is set and the tests run
// in parallel.
func serveProvider(t *testing.T, p *butterflymxProvider) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	configs := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	go func() {
		server, err := rpcctx.Server(p)()
		if err != nil {
			t.Errorf("building the provider server: %v", err)
			return
		}
		err = tf6server.Serve(cliProviderAddress, func() tfprotov6.ProviderServer { return server },
			tf6server.WithDebug(ctx, configs, closed), tf6server.WithLoggingSink(t),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()))
		if err != nil {
			t.Errorf("serving the provider: %v", err)
		}
	}()
	var rc *plugin.ReattachConfig
	select {
	case rc = <-configs:
	case <-closed:
		t.Fatal("the provider server stopped before it was ready")
	}
	t.Cleanup(func() { cancel(); <-closed })
	reattach, err := json.Marshal(map[string]any{cliProviderAddress: map[string]any{
		"Protocol": string(rc.Protocol), "ProtocolVersion": rc.ProtocolVersion, "Pid": rc.Pid, "Test": rc.Test,
		"Addr": map[string]string{"Network": rc.Addr.Network(), "String": rc.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return string(reattach)
}

// write puts a file in the working directory.
func (s *cliSession) write(name, content string) {
	s.t.Helper()
	if err := os.WriteFile(filepath.Join(s.dir, name), []byte(content), 0o600); err != nil {
		s.t.Fatal(err)
	}
}

// read returns a file of the working directory.
func (s *cliSession) read(name string) string {
	s.t.Helper()
	b, err := os.ReadFile(filepath.Join(s.dir, name))
	if err != nil {
		s.t.Fatal(err)
	}
	return string(b)
}

// run runs the CLI with args and returns its exit code and output; it
// fails the test when the CLI could not run at all.
func (s *cliSession) run(args ...string) (int, string) {
	s.t.Helper()
	cmd := exec.Command(s.cli, append(args[:1:1], append([]string{"-no-color"}, args[1:]...)...)...)
	cmd.Dir, cmd.Env = s.dir, s.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		s.t.Fatalf("running %s %s: %v", s.cli, strings.Join(args, " "), err)
	}
	return cmd.ProcessState.ExitCode(), out.String()
}

// ok runs the CLI and fails the test unless it exits 0.
func (s *cliSession) ok(args ...string) string {
	s.t.Helper()
	code, out := s.run(args...)
	if code != 0 {
		s.t.Fatalf("terraform %s exited %d:\n%s", strings.Join(args, " "), code, out)
	}
	return out
}
