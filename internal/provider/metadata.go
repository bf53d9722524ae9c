package provider

import (
	"context"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// custom_metadata of panels, accounts and webviews: Seam's object to
// Terraform's map(string) and back, Seam's limits, and the filters of the
// data sources.

// metadataValue turns Seam's custom_metadata (string or boolean values) into
// a map(string): booleans become "true" and "false".
func metadataValue(m seam.Metadata) (types.Map, diag.Diagnostics) {
	elems := make(map[string]attr.Value, len(m))
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch v := m[k].(type) {
		case nil:
			continue
		case string:
			elems[k] = types.StringValue(v)
		case bool:
			if v {
				elems[k] = types.StringValue("true")
			} else {
				elems[k] = types.StringValue("false")
			}
		default:
			elems[k] = types.StringValue(fmt.Sprint(v))
		}
	}
	return types.MapValue(types.StringType, elems)
}

// Seam's limits on custom_metadata.
const (
	maxMetadataKeys        = 50
	maxMetadataValueLength = 500
)

// metadataFromMap turns a map(string) from the configuration into Seam
// metadata; a non-nil result (even empty) replaces the whole object.
func metadataFromMap(ctx context.Context, m types.Map, diags *diag.Diagnostics) seam.Metadata {
	if m.IsNull() || m.IsUnknown() {
		return nil
	}
	values := map[string]string{}
	diags.Append(m.ElementsAs(ctx, &values, false)...)
	out := make(seam.Metadata, len(values))
	for k, v := range values {
		out[k] = v
	}
	return out
}

// metadataUpdate is the custom_metadata to send to make have into want:
// want, plus every key of have that want lacks, set to null. Seam's
// reference only says that an update replaces the whole object for
// connected accounts; a null removes the key whether Seam replaces or
// merges.
func metadataUpdate(ctx context.Context, have seam.Metadata, want types.Map, diags *diag.Diagnostics) seam.Metadata {
	out := metadataFromMap(ctx, want, diags)
	if out == nil {
		return nil
	}
	for k := range have {
		if _, ok := out[k]; !ok {
			out[k] = nil
		}
	}
	return out
}

// metadataFilter turns a map(string) into Seam's custom_metadata_has. Seam
// compares types, so "true" and "false", which may stand for a boolean, are
// left to metadataHasAll; nil means no server-side filter.
func metadataFilter(has map[string]string) seam.Metadata {
	out := make(seam.Metadata, len(has))
	for k, v := range has {
		if v != "true" && v != "false" {
			out[k] = v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// metadataHasAll reports whether m has every pair of has, comparing values
// the way custom_metadata shows them (booleans as "true" and "false").
func metadataHasAll(m seam.Metadata, has map[string]string) bool {
	if len(has) == 0 {
		return true
	}
	shown, diags := metadataValue(m)
	if diags.HasError() {
		return false
	}
	elems := shown.Elements()
	for k, v := range has {
		if got, ok := elems[k]; !ok || !got.Equal(types.StringValue(v)) {
			return false
		}
	}
	return true
}
