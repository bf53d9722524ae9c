package provider

import (
	"fmt"
	"sort"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// validateTimeouts checks each duration in a timeouts block at plan time and
// reports a bad one on its own attribute (timeouts.create), not on the
// block as the timeouts package does when the value is first used (issue
// 8, item 6).
func validateTimeouts(v timeouts.Value, diags *diag.Diagnostics) {
	if v.IsNull() || v.IsUnknown() {
		return
	}
	attrs := v.Attributes()
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		s, ok := attrs[name].(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		if d, err := time.ParseDuration(s.ValueString()); err != nil || d <= 0 {
			diags.AddAttributeError(path.Root("timeouts").AtName(name), "Invalid timeout",
				fmt.Sprintf("timeouts.%s must be a positive duration such as \"30s\", \"15m\" or \"1h30m\" (a number "+
					"followed by s, m or h), got %q. Fix timeouts.%s, or remove it for the default.", name, s.ValueString(), name))
		}
	}
}
