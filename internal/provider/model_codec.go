package provider

import (
	"context"
	"reflect"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Reading a whole model out of a plan, state or configuration, and writing
// one back, is most of what a resource's own code costs per RPC when it
// goes through the framework's Get and Set: they walk the struct by
// reflection on every call and compile a regular expression per field
// (terraform-plugin-framework's isValidFieldName). A modelCodec does the
// same conversion with the field list worked out once per model type and
// schema; the model's tfsdk tags stay the one description of the schema.
// Anything it does not handle (a null or unknown object, a field that is
// not an attr.Value, a value of the wrong type) goes to the framework,
// which reports it as before.

// typedSchema is the part of a framework schema the codec needs.
type typedSchema interface {
	Type() attr.Type
}

// modelCodec converts one model struct type for one schema object type.
type modelCodec struct {
	model  reflect.Type
	tfType tftypes.Object
	fields []codecField
}

type codecField struct {
	name   string
	index  int
	typ    attr.Type
	tfType tftypes.Type
}

var (
	attrValueType = reflect.TypeFor[attr.Value]()
	codecsMu      sync.Mutex
	codecs        = map[reflect.Type][]*modelCodec{} // by model type: one per schema it was used with
)

// codecFor returns the codec of model type rt for values of type t, making
// it from the schema the first time; nil when the model does not fit.
func codecFor(ctx context.Context, rt reflect.Type, t tftypes.Type, s typedSchema) *modelCodec {
	codecsMu.Lock()
	defer codecsMu.Unlock()
	for _, c := range codecs[rt] {
		if c.tfType.Equal(t) {
			return c
		}
	}
	c := newModelCodec(ctx, rt, s)
	if c == nil || !c.tfType.Equal(t) {
		return nil
	}
	codecs[rt] = append(codecs[rt], c)
	return c
}

// newModelCodec maps each tagged field of rt to the schema's attribute of
// that name; nil unless the two match one to one.
func newModelCodec(ctx context.Context, rt reflect.Type, s typedSchema) *modelCodec {
	objType, ok := s.Type().(attr.TypeWithAttributeTypes)
	if !ok || rt.Kind() != reflect.Struct {
		return nil
	}
	tfType, ok := objType.TerraformType(ctx).(tftypes.Object)
	if !ok {
		return nil
	}
	attrTypes := objType.AttributeTypes()
	c := &modelCodec{model: rt, tfType: tfType}
	for i := range rt.NumField() {
		f := rt.Field(i)
		name := f.Tag.Get("tfsdk")
		if name == "-" {
			continue
		}
		at, ok := attrTypes[name]
		if name == "" || f.Anonymous || !f.IsExported() || !ok || !f.Type.Implements(attrValueType) {
			return nil
		}
		c.fields = append(c.fields, codecField{name: name, index: i, typ: at, tfType: tfType.AttributeTypes[name]})
	}
	if len(c.fields) != len(attrTypes) {
		return nil
	}
	return c
}

// decodeModel fills the struct target points to from raw, as the
// framework's Get does. ok is false when the codec does not apply.
func decodeModel(ctx context.Context, s typedSchema, raw tftypes.Value, target any) (diags diag.Diagnostics, ok bool) {
	rv := reflect.ValueOf(target)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || raw.IsNull() || !raw.IsKnown() {
		return nil, false
	}
	elem := rv.Elem()
	c := codecFor(ctx, elem.Type(), raw.Type(), s)
	if c == nil {
		return nil, false
	}
	var attrs map[string]tftypes.Value
	if err := raw.As(&attrs); err != nil {
		return nil, false
	}
	for _, f := range c.fields {
		v, err := f.typ.ValueFromTerraform(ctx, attrs[f.name])
		if err != nil {
			return nil, false
		}
		if d := validateValue(ctx, f, v, path.Root(f.name)); d.HasError() {
			return d, true
		} else {
			diags.Append(d...)
		}
		fv := reflect.ValueOf(v)
		if fv.Type() != elem.Field(f.index).Type() {
			return nil, false
		}
		elem.Field(f.index).Set(fv)
	}
	return diags, true
}

// encodeModel writes model (a struct or a pointer to one) to *raw, as the
// framework's Set does. ok is false when the codec does not apply.
func encodeModel(ctx context.Context, s typedSchema, raw *tftypes.Value, model any) (diags diag.Diagnostics, ok bool) {
	rv := reflect.Indirect(reflect.ValueOf(model))
	if !rv.IsValid() || raw.Type() == nil {
		return nil, false
	}
	c := codecFor(ctx, rv.Type(), raw.Type(), s)
	if c == nil {
		return nil, false
	}
	vals := make(map[string]tftypes.Value, len(c.fields))
	for _, f := range c.fields {
		v, _ := rv.Field(f.index).Interface().(attr.Value)
		if v == nil {
			return nil, false
		}
		tv, err := v.ToTerraformValue(ctx)
		if err != nil || !tv.Type().Equal(f.tfType) {
			return nil, false
		}
		if d := validateValue(ctx, f, v, path.Root(f.name)); d.HasError() {
			return d, true
		} else {
			diags.Append(d...)
		}
		vals[f.name] = tv
	}
	*raw = tftypes.NewValue(c.tfType, vals)
	return diags, true
}

// validateValue runs a custom type's own checks, as the framework does for
// every value it converts.
func validateValue(ctx context.Context, f codecField, v attr.Value, at path.Path) diag.Diagnostics {
	if va, ok := v.(xattr.ValidateableAttribute); ok {
		resp := xattr.ValidateAttributeResponse{}
		va.ValidateAttribute(ctx, xattr.ValidateAttributeRequest{Path: at}, &resp)
		return resp.Diagnostics
	}
	//nolint:staticcheck // the deprecated interface is still honoured by the framework
	if tv, ok := f.typ.(xattr.TypeWithValidate); ok {
		raw, err := v.ToTerraformValue(ctx)
		if err != nil {
			return nil
		}
		return tv.Validate(ctx, raw, at)
	}
	return nil
}

// getState, getPlan and getConfig read a whole model, as State.Get,
// Plan.Get and Config.Get do.
func getState(ctx context.Context, s tfsdk.State, target any) diag.Diagnostics {
	if diags, ok := decodeModel(ctx, s.Schema, s.Raw, target); ok {
		return diags
	}
	return s.Get(ctx, target)
}

func getPlan(ctx context.Context, p tfsdk.Plan, target any) diag.Diagnostics {
	if diags, ok := decodeModel(ctx, p.Schema, p.Raw, target); ok {
		return diags
	}
	return p.Get(ctx, target)
}

func getConfig(ctx context.Context, c tfsdk.Config, target any) diag.Diagnostics {
	if diags, ok := decodeModel(ctx, c.Schema, c.Raw, target); ok {
		return diags
	}
	return c.Get(ctx, target)
}

// setState and setPlan write a whole model, as State.Set and Plan.Set do.
func setState(ctx context.Context, s *tfsdk.State, model any) diag.Diagnostics {
	if diags, ok := encodeModel(ctx, s.Schema, &s.Raw, model); ok {
		return diags
	}
	return s.Set(ctx, model)
}

func setPlan(ctx context.Context, p *tfsdk.Plan, model any) diag.Diagnostics {
	if diags, ok := encodeModel(ctx, p.Schema, &p.Raw, model); ok {
		return diags
	}
	return p.Set(ctx, model)
}

// rootString is the known string value of a top-level attribute of raw:
// one attribute without walking the schema, as GetAttribute does.
func rootString(raw tftypes.Value, name string) (string, bool) {
	if raw.IsNull() || !raw.IsKnown() || !raw.Type().Is(tftypes.Object{}) {
		return "", false
	}
	var attrs map[string]tftypes.Value
	if raw.As(&attrs) != nil {
		return "", false
	}
	v, ok := attrs[name]
	if !ok || !v.IsKnown() || v.IsNull() || !v.Type().Is(tftypes.String) {
		return "", false
	}
	var s string
	return s, v.As(&s) == nil
}
