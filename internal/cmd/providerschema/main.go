// Command providerschema prints the provider's schema as JSON, in the format
// of `terraform providers schema -json`, keyed by the short name butterflymx,
// for `tfplugindocs generate --providers-schema`.
//
// It serves the provider in-process and asks it for its schemas, so no CLI is
// involved: the docs are the same whatever Terraform or OpenTofu is installed,
// and they include actions, which OpenTofu does not report.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"

	"github.com/openintercom/terraform-provider-butterflymx/internal/provider"
)

// providerName is the key tfplugindocs looks the schema up by.
const providerName = "butterflymx"

func main() {
	schemas, err := providerSchemas(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "providerschema:", err)
		os.Exit(1)
	}
	if err := json.NewEncoder(os.Stdout).Encode(schemas); err != nil {
		fmt.Fprintln(os.Stderr, "providerschema:", err)
		os.Exit(1)
	}
}

// providerSchemas serves the provider in-process and converts its schemas.
func providerSchemas(ctx context.Context) (*tfjson.ProviderSchemas, error) {
	server, err := providerserver.NewProtocol6WithError(provider.New("docs")())()
	if err != nil {
		return nil, fmt.Errorf("serving the provider: %w", err)
	}
	resp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, fmt.Errorf("GetProviderSchema: %w", err)
	}
	if err := diagnostics("GetProviderSchema", resp.Diagnostics); err != nil {
		return nil, err
	}
	identity, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		return nil, fmt.Errorf("GetResourceIdentitySchemas: %w", err)
	}
	if err := diagnostics("GetResourceIdentitySchemas", identity.Diagnostics); err != nil {
		return nil, err
	}
	if len(resp.Functions) > 0 {
		// Nothing to convert them with yet: say so rather than drop their docs silently.
		fmt.Fprintf(os.Stderr, "providerschema: warning: %d provider functions are not converted\n", len(resp.Functions))
	}

	out := &tfjson.ProviderSchema{
		ActionSchemas: map[string]*tfjson.ActionSchema{},
	}
	if out.ConfigSchema, err = schema(resp.Provider); err != nil {
		return nil, fmt.Errorf("provider: %w", err)
	}
	if out.ResourceSchemas, err = schemaMap(resp.ResourceSchemas); err != nil {
		return nil, err
	}
	if out.DataSourceSchemas, err = schemaMap(resp.DataSourceSchemas); err != nil {
		return nil, err
	}
	if out.EphemeralResourceSchemas, err = schemaMap(resp.EphemeralResourceSchemas); err != nil {
		return nil, err
	}
	if out.ListResourceSchemas, err = schemaMap(resp.ListResourceSchemas); err != nil {
		return nil, err
	}
	for name, a := range resp.ActionSchemas {
		s, err := schema(a.Schema)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out.ActionSchemas[name] = &tfjson.ActionSchema{Block: s.Block}
	}
	if out.ResourceIdentitySchemas, err = identitySchemas(identity.IdentitySchemas); err != nil {
		return nil, err
	}
	return &tfjson.ProviderSchemas{
		FormatVersion: "1.0",
		Schemas:       map[string]*tfjson.ProviderSchema{providerName: out},
	}, nil
}

// identitySchemas converts the resources' identity schemas.
func identitySchemas(in map[string]*tfprotov6.ResourceIdentitySchema) (map[string]*tfjson.IdentitySchema, error) {
	out := map[string]*tfjson.IdentitySchema{}
	for name, s := range in {
		is := &tfjson.IdentitySchema{Version: uint64(s.Version), Attributes: map[string]*tfjson.IdentityAttribute{}}
		for _, a := range s.IdentityAttributes {
			ty, err := ctyType(a.Type)
			if err != nil {
				return nil, fmt.Errorf("%s identity: %s: %w", name, a.Name, err)
			}
			is.Attributes[a.Name] = &tfjson.IdentityAttribute{
				IdentityType:      ty,
				Description:       a.Description,
				RequiredForImport: a.RequiredForImport,
				OptionalForImport: a.OptionalForImport,
			}
		}
		out[name] = is
	}
	return out, nil
}

func diagnostics(rpc string, diags []*tfprotov6.Diagnostic) error {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return fmt.Errorf("%s: %s: %s", rpc, d.Summary, d.Detail)
		}
		fmt.Fprintf(os.Stderr, "providerschema: %s: warning: %s: %s\n", rpc, d.Summary, d.Detail)
	}
	return nil
}

func schemaMap(in map[string]*tfprotov6.Schema) (map[string]*tfjson.Schema, error) {
	out := make(map[string]*tfjson.Schema, len(in))
	for name, s := range in {
		var err error
		if out[name], err = schema(s); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return out, nil
}

func schema(s *tfprotov6.Schema) (*tfjson.Schema, error) {
	if s == nil {
		s = &tfprotov6.Schema{}
	}
	b, err := block(s.Block)
	if err != nil {
		return nil, err
	}
	return &tfjson.Schema{Version: uint64(s.Version), Block: b}, nil
}

func block(b *tfprotov6.SchemaBlock) (*tfjson.SchemaBlock, error) {
	if b == nil {
		b = &tfprotov6.SchemaBlock{}
	}
	attrs, err := attributes(b.Attributes)
	if err != nil {
		return nil, err
	}
	out := &tfjson.SchemaBlock{
		Attributes:      attrs,
		NestedBlocks:    map[string]*tfjson.SchemaBlockType{},
		Description:     b.Description,
		DescriptionKind: descriptionKind(b.DescriptionKind),
		Deprecated:      b.Deprecated,
	}
	for _, nb := range b.BlockTypes {
		mode, ok := blockNesting[nb.Nesting]
		if !ok {
			return nil, fmt.Errorf("%s: unknown nesting mode %s", nb.TypeName, nb.Nesting)
		}
		inner, err := block(nb.Block)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", nb.TypeName, err)
		}
		out.NestedBlocks[nb.TypeName] = &tfjson.SchemaBlockType{
			NestingMode: mode,
			Block:       inner,
			MinItems:    uint64(nb.MinItems),
			MaxItems:    uint64(nb.MaxItems),
		}
	}
	return out, nil
}

func attributes(in []*tfprotov6.SchemaAttribute) (map[string]*tfjson.SchemaAttribute, error) {
	out := make(map[string]*tfjson.SchemaAttribute, len(in))
	for _, a := range in {
		attr := &tfjson.SchemaAttribute{
			Description:     a.Description,
			DescriptionKind: descriptionKind(a.DescriptionKind),
			Deprecated:      a.Deprecated,
			Required:        a.Required,
			Optional:        a.Optional,
			Computed:        a.Computed,
			Sensitive:       a.Sensitive,
			WriteOnly:       a.WriteOnly,
		}
		var err error
		if a.NestedType != nil {
			mode, ok := objectNesting[a.NestedType.Nesting]
			if !ok {
				return nil, fmt.Errorf("%s: unknown nesting mode %s", a.Name, a.NestedType.Nesting)
			}
			attr.AttributeNestedType = &tfjson.SchemaNestedAttributeType{NestingMode: mode}
			attr.AttributeNestedType.Attributes, err = attributes(a.NestedType.Attributes)
		} else {
			attr.AttributeType, err = ctyType(a.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.Name, err)
		}
		out[a.Name] = attr
	}
	return out, nil
}

// ctyType converts a type through its JSON form, which both packages share:
// it is what the provider sends Terraform over the protocol.
func ctyType(t tftypes.Type) (cty.Type, error) {
	b, err := t.MarshalJSON() //nolint:staticcheck // deprecated for callers, but it is the protocol's own encoding
	if err != nil {
		return cty.NilType, fmt.Errorf("type %s: %w", t, err)
	}
	var ty cty.Type
	if err := ty.UnmarshalJSON(b); err != nil {
		return cty.NilType, fmt.Errorf("type %s: %w", b, err)
	}
	return ty, nil
}

func descriptionKind(k tfprotov6.StringKind) tfjson.SchemaDescriptionKind {
	if k == tfprotov6.StringKindMarkdown {
		return tfjson.SchemaDescriptionKindMarkdown
	}
	return tfjson.SchemaDescriptionKindPlain
}

var blockNesting = map[tfprotov6.SchemaNestedBlockNestingMode]tfjson.SchemaNestingMode{
	tfprotov6.SchemaNestedBlockNestingModeSingle: tfjson.SchemaNestingModeSingle,
	tfprotov6.SchemaNestedBlockNestingModeGroup:  tfjson.SchemaNestingModeGroup,
	tfprotov6.SchemaNestedBlockNestingModeList:   tfjson.SchemaNestingModeList,
	tfprotov6.SchemaNestedBlockNestingModeSet:    tfjson.SchemaNestingModeSet,
	tfprotov6.SchemaNestedBlockNestingModeMap:    tfjson.SchemaNestingModeMap,
}

var objectNesting = map[tfprotov6.SchemaObjectNestingMode]tfjson.SchemaNestingMode{
	tfprotov6.SchemaObjectNestingModeSingle: tfjson.SchemaNestingModeSingle,
	tfprotov6.SchemaObjectNestingModeList:   tfjson.SchemaNestingModeList,
	tfprotov6.SchemaObjectNestingModeSet:    tfjson.SchemaNestingModeSet,
	tfprotov6.SchemaObjectNestingModeMap:    tfjson.SchemaNestingModeMap,
}
