package provider

import (
	"cmp"
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Pieces that several resource schemas share.

// stableComputedString is a computed string that an update leaves as it
// is: plans show the value in state rather than "known after apply".
func stableComputedString(desc string) rschema.Attribute {
	return rschema.StringAttribute{Computed: true, MarkdownDescription: desc,
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
}

// timeoutsAttribute is the timeouts attribute of a resource with the given
// descriptions, documented as a whole, each duration checked at plan time.
func timeoutsAttribute(ctx context.Context, opts timeouts.Opts) rschema.Attribute {
	attr := timeouts.Attributes(ctx, opts)
	if nested, ok := attr.(rschema.SingleNestedAttribute); ok {
		nested.MarkdownDescription = "Timeouts of the operations, as Go durations such as `30s` or `5m`."
		children := make(map[string]rschema.Attribute, len(nested.Attributes))
		for name, child := range nested.Attributes {
			if s, ok := child.(rschema.StringAttribute); ok {
				s.MarkdownDescription = cmp.Or(s.MarkdownDescription, s.Description)
				s.Validators = append(s.Validators, timeoutValidator{})
				child = s
			}
			children[name] = child
		}
		nested.Attributes = children
		return nested
	}
	return attr
}

// timeoutsOrNull is the timeouts value to save: state cannot hold an
// unknown value, so an unknown one becomes null.
func timeoutsOrNull(ctx context.Context, v timeouts.Value) timeouts.Value {
	if v.IsUnknown() {
		return timeouts.Value{Object: types.ObjectNull(v.AttributeTypes(ctx))}
	}
	return v
}

// backquoted renders values as a Markdown list for descriptions.
func backquoted(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = "`" + v + "`"
	}
	return strings.Join(quoted, ", ")
}
