package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// checkCredentials asks Seam once, when the provider is configured, whether
// it accepts the credentials, so that a wrong key is reported against
// api_key (or personal_access_token) and its environment variable instead
// of against whichever data source or resource happens to call first.
// Only a refusal fails here; any other failure (an
// unreachable endpoint) is left to the calls that need Seam, which say
// what they were doing.
func checkCredentials(ctx context.Context, c *seam.Client, cfg providerModel, getenv func(string) string, diags *diag.Diagnostics) bool {
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	_, err := c.GetWorkspace(cctx)
	if err == nil || !seam.IsUnauthorized(err) {
		return true
	}
	attr, env := "api_key", envAPIKey
	if !cfg.PersonalAccessToken.IsNull() || (cfg.APIKey.IsNull() && getenv(envAPIKey) == "" && getenv(envPersonalAccessToken) != "") {
		attr, env = "personal_access_token", envPersonalAccessToken
	}
	diags.AddAttributeError(path.Root(attr), "Seam refused the credentials",
		fmt.Sprintf("Seam answered 401 Unauthorized to the %s (from the provider block's %s, or the %s environment "+
			"variable): %s\n\nCheck that it is the workspace's current key (Seam Console, Developer > API Keys) and "+
			"that it was copied whole; API keys start with seam_.", attr, attr, env, err))
	return false
}
