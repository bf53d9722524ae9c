package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

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

// backquoted renders values as a Markdown list for descriptions.
func backquoted(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = "`" + v + "`"
	}
	return strings.Join(quoted, ", ")
}
