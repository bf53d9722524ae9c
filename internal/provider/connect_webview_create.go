package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// createWebviewTracked creates a connect webview and never abandons one the
// create may have made (an interrupt must not leave pending webviews in
// Seam and none in state). After an unknown outcome it looks, with a
// fresh bounded context, for a pending webview made since the request with
// the same arguments that no other create of this run recorded: webviews
// with the same arguments are interchangeable, so adopting any one of them
// is right. A verified absence sends the create again while wctx allows.
func (r *connectWebviewResource) createWebviewTracked(ctx, wctx context.Context, in seam.ConnectWebviewCreate,
	diags *diag.Diagnostics) *seam.ConnectWebview {
	for resend := 0; ; resend++ {
		started := time.Now()
		webview, err := r.data.client.CreateConnectWebview(wctx, in)
		if err == nil && r.data.claims.claim(webview.ConnectWebviewID) {
			return webview
		}
		if err != nil && !seam.MayHaveTakenEffect(err) {
			diags.AddError("Could not create connect webview", err.Error())
			return nil
		}
		found, listErr := r.findCreatedWebview(ctx, in, started)
		switch {
		case found != nil:
			tflog.Warn(ctx, "the create's outcome was unknown, but the webview was created; keeping it",
				map[string]any{"connect_webview_id": found.ConnectWebviewID})
			return found
		case err == nil:
			// Our reply's webview was adopted by a lost create of an
			// identical resource, and no other is left: keep ours too.
			return webview
		case listErr == nil && wctx.Err() == nil && resend < lostCreateRetries:
			tflog.Warn(ctx, "the create's outcome was unknown and Seam holds no such webview; sending it again",
				map[string]any{"error": err.Error()})
			continue
		}
		reportLostWebview(diags, in, fmt.Errorf("%s: %w", createEnd(wctx), err), listErr)
		return nil
	}
}

// findCreatedWebview returns the earliest unclaimed pending webview made
// since started with in's arguments, claimed; nil when there is none, with
// the error that kept it from looking.
func (r *connectWebviewResource) findCreatedWebview(ctx context.Context, in seam.ConnectWebviewCreate, started time.Time) (
	*seam.ConnectWebview, error) {
	lctx, cancel := r.data.lookupContext(ctx)
	defer cancel()
	var matches []seam.ConnectWebview
	for w, err := range r.data.client.ListConnectWebviews(lctx, seam.ConnectWebviewFilter{CustomerKey: in.CustomerKey}) {
		if err != nil {
			return nil, err
		}
		if webviewMadeBy(w, in, started) {
			matches = append(matches, w)
		}
	}
	slices.SortFunc(matches, func(a, b seam.ConnectWebview) int { return a.CreatedAt.Compare(b.CreatedAt) })
	for i := range matches {
		if r.data.claims.claim(matches[i].ConnectWebviewID) {
			return &matches[i], nil
		}
	}
	return nil, nil
}

// webviewMadeBy reports whether w looks like a webview that in made: still
// pending, created since started (allowing for clock skew), same arguments.
func webviewMadeBy(w seam.ConnectWebview, in seam.ConnectWebviewCreate, started time.Time) bool {
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	return w.Status == "pending" && w.CreatedAt.After(started.Add(-2*time.Minute)) &&
		str(w.CustomRedirectURL) == in.CustomRedirectURL && str(w.CustomRedirectFailureURL) == in.CustomRedirectFailureURL &&
		w.CustomerKey == in.CustomerKey && slices.Equal(w.AcceptedProviders, in.AcceptedProviders) &&
		sameMetadata(w.CustomMetadata, in.CustomMetadata)
}

// sameMetadata compares metadata as JSON, so nil and empty are equal and
// number types do not matter.
func sameMetadata(a, b seam.Metadata) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}

// reportLostWebview says plainly that a webview may exist outside state,
// and how to find it.
func reportLostWebview(diags *diag.Diagnostics, in seam.ConnectWebviewCreate, err, listErr error) {
	detail := fmt.Sprintf("The request to create the connect webview got no clear answer from Seam: %s\n\n", err)
	find := "List the workspace's connect webviews (Seam Console, or /connect_webviews/list)"
	if in.CustomerKey != "" {
		find += fmt.Sprintf(" with customer_key %q", in.CustomerKey)
	}
	if listErr != nil {
		detail += fmt.Sprintf("Seam may have created it anyway, and the provider could not check: listing the webviews "+
			"failed (%s). %s: a pending webview created just now with these arguments is this one; import it "+
			"(terraform import <address> <connect_webview_id>) or delete it, then apply again.", listErr, find)
	} else {
		detail += "The provider looked for the webview in case Seam created it anyway and found none, so nothing is " +
			"left behind. Apply again."
	}
	diags.AddError("Could not create connect webview", detail)
}

// findCreatedAccount looks, with a fresh bounded context, for the account a
// /connected_accounts/create with an unknown outcome connected: a
// ButterflyMX account created since started with the same metadata that no
// other create of this run recorded. It returns it, claimed, only when it is
// the only one; otherwise nil (the caller then says what to look for).
func (r *connectedAccountResource) findCreatedAccount(ctx context.Context, in seam.ConnectedAccountCreate, started time.Time) (
	*seam.ConnectedAccount, error) {
	lctx, cancel := r.data.lookupContext(ctx)
	defer cancel()
	var matches []seam.ConnectedAccount
	for a, err := range r.data.client.ListConnectedAccounts(lctx, seam.ConnectedAccountFilter{}) {
		if err != nil {
			return nil, err
		}
		recent := a.CreatedAt != nil && a.CreatedAt.After(started.Add(-2*time.Minute))
		if recent && a.AccountType == seam.ProviderButterflyMX && sameMetadata(a.CustomMetadata, in.CustomMetadata) &&
			!r.data.claims.claimed(a.ConnectedAccountID) {
			matches = append(matches, a)
		}
	}
	if len(matches) == 1 && r.data.claims.claim(matches[0].ConnectedAccountID) {
		return &matches[0], nil
	}
	return nil, nil
}
