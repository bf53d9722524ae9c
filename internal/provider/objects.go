package provider

import (
	"context"
	"fmt"

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

// int64ListValue is a list of numbers, never null.
func int64ListValue(ns []int) types.List {
	elems := make([]attr.Value, len(ns))
	for i, n := range ns {
		elems[i] = types.Int64Value(int64(n))
	}
	return types.ListValueMust(types.Int64Type, elems)
}

// setWithObjectList writes model to state as State.Set would, except for its
// long list of objects (*list, the attribute name), which it builds with
// typed constructors and puts into the state's raw value directly: the rest
// of the model goes through the framework, the list does not.
func setWithObjectList[M attrValuer](ctx context.Context, state *tfsdk.State, model any, name string,
	t types.ObjectType, list *[]M) diag.Diagnostics {
	objects, err := objectListTerraform(ctx, t, *list)
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

// objectListTerraform is objectListValue(t, models) as a Terraform value,
// built directly: each attribute converted once, without the framework's
// object and list values in between (which check every element's type
// again, and convert it again).
func objectListTerraform[M attrValuer](ctx context.Context, t types.ObjectType, models []M) (tftypes.Value, error) {
	objType, ok := t.TerraformType(ctx).(tftypes.Object)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("%s is not an object type", t)
	}
	elems := make([]tftypes.Value, len(models))
	for i, m := range models {
		values := m.attrValues()
		attrs := make(map[string]tftypes.Value, len(values))
		for name, v := range values {
			tv, err := v.ToTerraformValue(ctx)
			if err != nil {
				return tftypes.Value{}, fmt.Errorf("%s: %w", name, err)
			}
			if want, ok := objType.AttributeTypes[name]; !ok || !tv.Type().Equal(want) {
				return tftypes.Value{}, fmt.Errorf("%s: a %s is not of the object's type", name, tv.Type())
			}
			attrs[name] = tv
		}
		if len(attrs) != len(objType.AttributeTypes) {
			return tftypes.Value{}, fmt.Errorf("%d attributes for an object of %d", len(attrs), len(objType.AttributeTypes))
		}
		elems[i] = tftypes.NewValue(objType, attrs)
	}
	return tftypes.NewValue(tftypes.List{ElementType: objType}, elems), nil
}
