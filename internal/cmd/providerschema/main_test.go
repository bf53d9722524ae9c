package main

import (
	"encoding/json"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"
)

// schemaAsRead returns the provider's schema as tfplugindocs reads it: through
// the JSON this command prints.
func schemaAsRead(t *testing.T) *tfjson.ProviderSchema {
	t.Helper()
	schemas, err := providerSchemas(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(schemas)
	if err != nil {
		t.Fatal(err)
	}
	var read tfjson.ProviderSchemas // UnmarshalJSON checks format_version
	if err := json.Unmarshal(b, &read); err != nil {
		t.Fatal(err)
	}
	s := read.Schemas[providerName]
	if s == nil {
		t.Fatalf("no schema under %q: %s", providerName, b)
	}
	return s
}

func TestProviderSchema(t *testing.T) {
	s := schemaAsRead(t)

	t.Run("action", func(t *testing.T) {
		a := s.ActionSchemas["butterflymx_unlock_door"]
		if a == nil || a.Block == nil {
			t.Fatalf("no butterflymx_unlock_door action schema; actions: %v", s.ActionSchemas)
		}
		id := a.Block.Attributes["device_id"]
		if id == nil || !id.Required || !id.AttributeType.Equals(cty.String) {
			t.Errorf("device_id = %+v, want a required string", id)
		}
		if a.Block.DescriptionKind != tfjson.SchemaDescriptionKindMarkdown || a.Block.Description == "" {
			t.Errorf("action description = %q (%s), want markdown", a.Block.Description, a.Block.DescriptionKind)
		}
	})

	t.Run("nested attributes", func(t *testing.T) {
		ds := s.DataSourceSchemas["butterflymx_intercoms"]
		if ds == nil {
			t.Fatal("no butterflymx_intercoms data source schema")
		}
		intercoms := ds.Block.Attributes["intercoms"]
		if intercoms == nil || intercoms.AttributeNestedType == nil {
			t.Fatalf("intercoms = %+v, want a nested attribute", intercoms)
		}
		if intercoms.AttributeNestedType.NestingMode != tfjson.SchemaNestingModeList || intercoms.AttributeType != cty.NilType {
			t.Errorf("intercoms: nesting %q, type %#v; want a list, no type", intercoms.AttributeNestedType.NestingMode, intercoms.AttributeType)
		}
		inner := intercoms.AttributeNestedType.Attributes
		if a := inner["supported_code_lengths"]; a == nil || !a.Computed || !a.AttributeType.Equals(cty.List(cty.Number)) {
			t.Errorf("intercoms.supported_code_lengths = %+v, want a computed list of numbers", a)
		}
		if errs := inner["errors"]; errs == nil || errs.AttributeNestedType == nil || errs.AttributeNestedType.Attributes["message"] == nil {
			t.Errorf("intercoms.errors = %+v, want nested attributes with message", errs)
		}
	})

	t.Run("write-only and sensitive", func(t *testing.T) {
		wo := s.ResourceSchemas["butterflymx_workspace_credential"].Block.Attributes["value_wo"]
		if wo == nil || !wo.WriteOnly || !wo.Sensitive {
			t.Errorf("butterflymx_workspace_credential.value_wo = %+v, want write-only and sensitive", wo)
		}
		if v := s.ResourceSchemas["butterflymx_workspace_credential"].Block.Attributes["value_wo_version"]; v == nil || v.WriteOnly || v.Sensitive {
			t.Errorf("value_wo_version = %+v, want neither write-only nor sensitive", v)
		}
		if k := s.ConfigSchema.Block.Attributes["api_key"]; k == nil || !k.Sensitive {
			t.Errorf("provider api_key = %+v, want sensitive", k)
		}
		oauth := s.ConfigSchema.Block.NestedBlocks["butterflymx_oauth"]
		if oauth == nil || oauth.NestingMode != tfjson.SchemaNestingModeSingle || !oauth.Block.Attributes["client_secret"].Sensitive {
			t.Errorf("provider butterflymx_oauth = %+v, want a single block with a sensitive client_secret", oauth)
		}
		code := s.DataSourceSchemas["butterflymx_access_codes"].Block.Attributes["access_codes"].AttributeNestedType.Attributes["code"]
		if code == nil || !code.Sensitive {
			t.Errorf("butterflymx_access_codes.access_codes.code = %+v, want sensitive", code)
		}
	})

	t.Run("identity", func(t *testing.T) {
		id := s.ResourceIdentitySchemas["butterflymx_access_code"]
		if id == nil || id.Attributes["access_code_id"] == nil || !id.Attributes["access_code_id"].RequiredForImport {
			t.Errorf("butterflymx_access_code identity = %+v, want access_code_id required for import", id)
		}
	})
}
