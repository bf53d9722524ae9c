package main

import (
	"bytes"
	"context"
	"fmt"

	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/defaults"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
)

func providerTypeName(ctx context.Context, p fwprovider.Provider) string {
	var resp fwprovider.MetadataResponse
	p.Metadata(ctx, fwprovider.MetadataRequest{}, &resp)
	return resp.TypeName
}

// writeAttributes writes a map[string]schema.Attribute literal.
func writeAttributes(ctx context.Context, b *bytes.Buffer, attrs map[string]schema.Attribute) error {
	b.WriteString("map[string]schema.Attribute{\n")
	for _, name := range sortedNames(attrs) {
		fmt.Fprintf(b, "%q: ", name)
		if err := writeAttribute(ctx, b, name, attrs[name]); err != nil {
			return err
		}
		b.WriteString(",\n")
	}
	b.WriteString("}")
	return nil
}

// writeAttribute writes one attribute literal; a kind of attribute, plan
// modifier or default the generator does not know is an error, so that the
// copy is never silently less than the original.
func writeAttribute(ctx context.Context, b *bytes.Buffer, name string, a schema.Attribute) error {
	switch a := a.(type) {
	case schema.StringAttribute:
		fmt.Fprintf(b, "schema.StringAttribute{%s", flags(a.Required, a.Optional, a.Computed, a.Sensitive))
		if err := writeStringModifiers(ctx, b, name, a.PlanModifiers); err != nil {
			return err
		}
		if a.Default != nil {
			return fmt.Errorf("%s: string defaults are not copied yet", name)
		}
	case schema.BoolAttribute:
		fmt.Fprintf(b, "schema.BoolAttribute{%s", flags(a.Required, a.Optional, a.Computed, a.Sensitive))
		if len(a.PlanModifiers) > 0 {
			return fmt.Errorf("%s: bool plan modifiers are not copied yet", name)
		}
		if err := writeBoolDefault(ctx, b, name, a.Default); err != nil {
			return err
		}
	case schema.Int64Attribute:
		fmt.Fprintf(b, "schema.Int64Attribute{%s", flags(a.Required, a.Optional, a.Computed, a.Sensitive))
		if len(a.PlanModifiers) > 0 || a.Default != nil {
			return fmt.Errorf("%s: int64 plan modifiers and defaults are not copied yet", name)
		}
	case schema.ListNestedAttribute:
		fmt.Fprintf(b, "schema.ListNestedAttribute{%s", flags(a.Required, a.Optional, a.Computed, a.Sensitive))
		if len(a.PlanModifiers) > 0 || a.Default != nil {
			return fmt.Errorf("%s: list plan modifiers and defaults are not copied yet", name)
		}
		b.WriteString("NestedObject: schema.NestedAttributeObject{Attributes: ")
		if err := writeAttributes(ctx, b, a.NestedObject.Attributes); err != nil {
			return err
		}
		b.WriteString("},")
	case schema.SingleNestedAttribute:
		fmt.Fprintf(b, "schema.SingleNestedAttribute{%s", flags(a.Required, a.Optional, a.Computed, a.Sensitive))
		if len(a.PlanModifiers) > 0 || a.Default != nil {
			return fmt.Errorf("%s: object plan modifiers and defaults are not copied yet", name)
		}
		b.WriteString("Attributes: ")
		if err := writeAttributes(ctx, b, a.Attributes); err != nil {
			return err
		}
		b.WriteString(",")
	default:
		return fmt.Errorf("%s: attribute kind %T is not copied yet", name, a)
	}
	b.WriteString("}")
	return nil
}

func flags(required, optional, computed, sensitive bool) string {
	var s string
	for _, f := range []struct {
		on   bool
		name string
	}{{required, "Required"}, {optional, "Optional"}, {computed, "Computed"}, {sensitive, "Sensitive"}} {
		if f.on {
			s += f.name + ": true, "
		}
	}
	return s
}

// stringModifiers are the framework's string plan modifiers the copy knows,
// recognised by type and description (RequiresReplace and
// RequiresReplaceIfConfigured share a type).
var stringModifiers = map[string]planmodifier.String{
	"stringplanmodifier.RequiresReplace()":             stringplanmodifier.RequiresReplace(),
	"stringplanmodifier.RequiresReplaceIfConfigured()": stringplanmodifier.RequiresReplaceIfConfigured(),
	"stringplanmodifier.UseStateForUnknown()":          stringplanmodifier.UseStateForUnknown(),
	"stringplanmodifier.UseNonNullStateForUnknown()":   stringplanmodifier.UseNonNullStateForUnknown(),
}

func writeStringModifiers(ctx context.Context, b *bytes.Buffer, name string, ms []planmodifier.String) error {
	if len(ms) == 0 {
		return nil
	}
	b.WriteString("PlanModifiers: []planmodifier.String{")
	for _, m := range ms {
		expr := ""
		for e, known := range stringModifiers {
			if fmt.Sprintf("%T", m) == fmt.Sprintf("%T", known) && m.Description(ctx) == known.Description(ctx) {
				expr = e
			}
		}
		if expr == "" {
			return fmt.Errorf("%s: plan modifier %T (%q) is not copied yet", name, m, m.Description(ctx))
		}
		b.WriteString(expr + ", ")
	}
	b.WriteString("},")
	return nil
}

// writeBoolDefault copies booldefault.StaticBool, the one kind of default
// the schema uses.
func writeBoolDefault(ctx context.Context, b *bytes.Buffer, name string, d defaults.Bool) error {
	if d == nil {
		return nil
	}
	for _, v := range []bool{false, true} {
		if fmt.Sprintf("%T", d) == fmt.Sprintf("%T", booldefault.StaticBool(v)) &&
			d.Description(ctx) == booldefault.StaticBool(v).Description(ctx) {
			fmt.Fprintf(b, "Default: booldefault.StaticBool(%v),", v)
			return nil
		}
	}
	return fmt.Errorf("%s: default %T (%q) is not copied yet", name, d, d.Description(ctx))
}
