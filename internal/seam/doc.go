// Package seam is the provider's client for the Seam Connect API
// (https://connect.getseam.com) and for the ButterflyMX OAuth endpoints.
//
// It speaks Seam's wire format (every route a JSON POST, {..., "ok": true}
// envelopes, cursor pagination, action attempts) in plain Go types, and owns
// the concerns every caller would otherwise repeat: authentication (API key,
// or personal access token plus workspace), one retry policy that never
// repeats a write that may have taken effect, typed errors, and logging that
// never carries a secret. The partner routes that load BUTTERFLY_API_TOKEN
// and hand over OAuth tokens live in partner.go.
//
// The package knows nothing of Terraform: the provider adapts these types to
// its schemas and plugs its logger into Config.Logger.
package seam
