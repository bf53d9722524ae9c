package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

//go:generate go run ./gen

// accessCode has exactly the schema of butterflymx_access_code
// (access_code_schema.go, generated from the provider) and does no work: its
// state is its plan, with every value left unknown made known. It is the
// floor that costs what the framework costs for that schema.
type accessCode struct{}

func (accessCode) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_code"
}

func (accessCode) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = accessCodeSchema()
}

func (accessCode) Create(_ context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.State.Raw = known(req.Plan.Raw)
}

func (accessCode) Read(_ context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	resp.State.Raw = req.State.Raw
}

func (accessCode) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = known(req.Plan.Raw)
}

func (accessCode) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// known replaces each unknown value of a plan with a known one of its type:
// a random id for the top-level id, else empty strings and lists, false, 0.
func known(plan tftypes.Value) tftypes.Value {
	v, err := tftypes.Transform(plan, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		t := v.Type()
		switch {
		case t.Is(tftypes.String) && p.Equal(tftypes.NewAttributePath().WithAttributeName("id")):
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			return tftypes.NewValue(t, hex.EncodeToString(b)), nil
		case t.Is(tftypes.String):
			return tftypes.NewValue(t, ""), nil
		case t.Is(tftypes.Bool):
			return tftypes.NewValue(t, false), nil
		case t.Is(tftypes.Number):
			return tftypes.NewValue(t, new(big.Float)), nil
		case t.Is(tftypes.List{}):
			return tftypes.NewValue(t, []tftypes.Value{}), nil
		default:
			return tftypes.NewValue(t, nil), nil
		}
	})
	if err != nil {
		panic(err) // the schema is fixed: a failure here is a bug in this file
	}
	return v
}
