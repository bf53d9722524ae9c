// Package rpcctx serves a framework provider with request contexts that let
// go of their request when the request returns.
//
// The framework's protocol 6 server keeps the cancel function of every
// request's context until StopProvider, to cancel what is in flight then.
// Each one holds its context, and through it the request's gRPC stream and
// the loggers made for it: a plan of 1,000 resources kept every one of its
// 4,000 requests, 67 MB of live heap in the framework alone, the bulk of the
// provider's peak RSS (bench/PROFILES.md, "Memory (S4)"). Here the framework
// gets a context that forwards to the request's context while the request
// runs and holds nothing afterwards, so what it keeps per request is a few
// hundred bytes.
package rpcctx

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Server returns p's protocol 6 server, the framework's, with the
// per-resource requests given releasable contexts.
func Server(p provider.Provider) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		s, err := providerserver.NewProtocol6WithError(p)()
		if err != nil {
			return nil, err
		}
		full, ok := s.(frameworkServer)
		if !ok { // a framework that no longer serves every optional RPC: serve it as it is
			return s, nil
		}
		return releasing{full}, nil
	}
}

// frameworkServer is every interface the framework's server implements
// that the plugin SDK looks for: embedding only ProviderServer would hide
// list resources and actions.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

// releasing passes the unary, per-resource requests (those a large plan
// makes thousands of) a released context; the rest go through as they are.
// Streamed responses (ListResource, InvokeAction) are left out: they use
// their context after the call returns.
type releasing struct{ frameworkServer }

func (s releasing) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return call(ctx, req, s.frameworkServer.ValidateResourceConfig)
}

func (s releasing) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return call(ctx, req, s.frameworkServer.UpgradeResourceState)
}

func (s releasing) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return call(ctx, req, s.frameworkServer.UpgradeResourceIdentity)
}

func (s releasing) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return call(ctx, req, s.frameworkServer.ReadResource)
}

func (s releasing) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return call(ctx, req, s.frameworkServer.PlanResourceChange)
}

func (s releasing) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return call(ctx, req, s.frameworkServer.ApplyResourceChange)
}

func (s releasing) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return call(ctx, req, s.frameworkServer.ImportResourceState)
}

func (s releasing) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return call(ctx, req, s.frameworkServer.ValidateDataResourceConfig)
}

func (s releasing) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return call(ctx, req, s.frameworkServer.ReadDataSource)
}

// call runs f with a context that forwards to ctx until f returns.
func call[Req, Resp any](ctx context.Context, req Req, f func(context.Context, Req) (Resp, error)) (Resp, error) {
	held := &heldContext{}
	held.parent.Store(&ctx)
	defer held.parent.Store(nil)
	return f(held, req)
}

// heldContext is its parent context until released (parent nil), then a
// canceled context with no values. Done and Value hand out the parent's own
// channel and values, so a context the framework derives from it still
// registers with the request's cancelation, which ends with the request.
type heldContext struct {
	parent atomic.Pointer[context.Context]
}

var released = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

func (c *heldContext) Deadline() (time.Time, bool) {
	if p := c.parent.Load(); p != nil {
		return (*p).Deadline()
	}
	return time.Time{}, false
}

func (c *heldContext) Done() <-chan struct{} {
	if p := c.parent.Load(); p != nil {
		return (*p).Done()
	}
	return released
}

func (c *heldContext) Err() error {
	if p := c.parent.Load(); p != nil {
		return (*p).Err()
	}
	return context.Canceled
}

func (c *heldContext) Value(key any) any {
	if p := c.parent.Load(); p != nil {
		return (*p).Value(key)
	}
	return nil
}
