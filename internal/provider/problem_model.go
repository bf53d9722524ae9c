package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// The errors and warnings Seam reports on panels, accounts and access codes,
// as every resource and data source shows them: a list of {code, message}.

// problemModel is one entry of an object's errors or warnings.
type problemModel struct {
	Code    types.String `tfsdk:"code"`
	Message types.String `tfsdk:"message"`
}

// problemObjectType is the Terraform type of one problemModel.
var problemObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"code":    types.StringType,
	"message": types.StringType,
}}

func (p problemModel) attrValues() map[string]attr.Value {
	return map[string]attr.Value{"code": p.Code, "message": p.Message}
}

func problemModels(ps []seam.Problem) []problemModel {
	out := make([]problemModel, 0, len(ps))
	for _, p := range ps {
		out = append(out, problemModel{Code: types.StringValue(p.Code()), Message: types.StringValue(p.Message)})
	}
	return out
}

// problemListValue is errors or warnings as a list value; never null. Built
// with typed constructors (objects.go): every code and panel read has two.
func problemListValue(ps []seam.Problem) types.List {
	return objectListValue(problemObjectType, problemModels(ps))
}

const descProblemMessage = "Human-readable explanation."

// descProblemCode documents the code, with an example typical of the object.
func descProblemCode(example string) string {
	return "Seam's error or warning code, such as `" + example + "`."
}

// problemsDataSourceAttribute is errors or warnings in a data source schema.
func problemsDataSourceAttribute(desc, exampleCode string) dsschema.Attribute {
	return dsschema.ListNestedAttribute{
		Computed:            true,
		MarkdownDescription: desc,
		NestedObject: dsschema.NestedAttributeObject{Attributes: map[string]dsschema.Attribute{
			"code":    dsschema.StringAttribute{Computed: true, MarkdownDescription: descProblemCode(exampleCode)},
			"message": dsschema.StringAttribute{Computed: true, MarkdownDescription: descProblemMessage},
		}},
	}
}

// problemsResourceAttribute is errors or warnings in a resource schema.
func problemsResourceAttribute(desc, exampleCode string) rschema.Attribute {
	return rschema.ListNestedAttribute{
		Computed:            true,
		MarkdownDescription: desc,
		NestedObject: rschema.NestedAttributeObject{Attributes: map[string]rschema.Attribute{
			"code":    rschema.StringAttribute{Computed: true, MarkdownDescription: descProblemCode(exampleCode)},
			"message": rschema.StringAttribute{Computed: true, MarkdownDescription: descProblemMessage},
		}},
	}
}
