package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Large reads (thousands of panels or codes) build their lists of objects with
// typed constructors rather than through the framework's reflection, which
// costs far more per object than the values themselves. A model stays the
// one description of its object: its attrValues method names each field
// once, and its object type is derived from one converted value, once.

// attrValuer is a model that lists its attributes as Terraform values.
type attrValuer interface {
	attrValues() map[string]attr.Value
}

// objectTypeOf is the Terraform object type of a model, read from the types
// of its values: call it once per model, on a value its constructor made
// (collections carry their element types only then).
func objectTypeOf(m attrValuer) types.ObjectType {
	values := m.attrValues()
	attrTypes := make(map[string]attr.Type, len(values))
	for name, v := range values {
		attrTypes[name] = v.Type(context.Background())
	}
	return types.ObjectType{AttrTypes: attrTypes}
}

// objectListValue is the list of the models' objects, all of type t.
func objectListValue[M attrValuer](t types.ObjectType, models []M) types.List {
	elems := make([]attr.Value, len(models))
	for i, m := range models {
		elems[i] = types.ObjectValueMust(t.AttrTypes, m.attrValues())
	}
	return types.ListValueMust(t, elems)
}

// stringListValue is a list of strings, never null.
func stringListValue(ss []string) types.List {
	elems := make([]attr.Value, len(ss))
	for i, s := range ss {
		elems[i] = types.StringValue(s)
	}
	return types.ListValueMust(types.StringType, elems)
}

// setWithObjectList writes model to state as State.Set would, except for its
// long list of objects (*list, the attribute name), which it builds with
// typed constructors and puts into the state's raw value directly: the rest
// of the model goes through the framework, the list does not.
func setWithObjectList[M attrValuer](ctx context.Context, state *tfsdk.State, model any, name string,
	t types.ObjectType, list *[]M) diag.Diagnostics {
	objects, err := objectListValue(t, *list).ToTerraformValue(ctx)
	if err != nil {
		return diag.Diagnostics{diag.NewErrorDiagnostic("Could not build "+name, err.Error())}
	}
	saved := *list
	*list = nil // written as null, then replaced
	diags := state.Set(ctx, model)
	*list = saved
	if diags.HasError() {
		return diags
	}
	var attrs map[string]tftypes.Value
	if err := state.Raw.As(&attrs); err != nil {
		diags.AddError("Could not build "+name, err.Error())
		return diags
	}
	attrs[name] = objects
	state.Raw = tftypes.NewValue(state.Raw.Type(), attrs)
	return diags
}
