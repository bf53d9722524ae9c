package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// An empty import id (OpenTofu drops an import block with
// id = "", Terraform passes it on) gets a message naming the cause instead
// of the framework's "Missing Resource Identity After Read".
func TestImportEmptyID(t *testing.T) {
	for name, r := range map[string]resource.ResourceWithImportState{
		"access_code":     &accessCodeResource{},
		"connect_webview": &connectWebviewResource{},
		"intercom":        &intercomResource{},
	} {
		var resp resource.ImportStateResponse
		r.ImportState(context.Background(), resource.ImportStateRequest{ID: ""}, &resp)
		if !resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics[0].Detail(), "import id is empty") {
			t.Errorf("%s: empty import id gave %v", name, resp.Diagnostics)
		}
	}
}
