package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// Helpers shared by the tests of the account side: workspace credential,
// connect webview, connected account and their data sources.

// captureAttr stores a state attribute in *into, for later steps.
func captureAttr(addr, attr string, into *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s is not in the state", addr)
		}
		v, ok := rs.Primary.Attributes[attr]
		if !ok || v == "" {
			return fmt.Errorf("%s has no %s", addr, attr)
		}
		*into = v
		return nil
	}
}

// expectNotInState fails when any of the secrets appears anywhere in the
// state, sensitive values included.
func expectNotInState(secrets ...string) statecheck.StateCheck { return notInState(secrets) }

type notInState []string

func (n notInState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	b, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	for _, s := range n {
		if strings.Contains(string(b), s) {
			resp.Error = fmt.Errorf("a secret (%d characters, starting %q) is in the state", len(s), s[:min(4, len(s))])
			return
		}
	}
}
