package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Acceptance tests run a real CLI (TF_ACC_TERRAFORM_PATH picks Terraform or
// OpenTofu; `make test` runs them on both) against an in-process emulator.

var testProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"butterflymx": providerserver.NewProtocol6WithError(New("test")()),
}

// providerFactoriesWith is testProviderFactories with a provider set up by
// set: its clock (an emulator's, which a test moves forward) or the window
// its writes are paced to.
func providerFactoriesWith(set func(*butterflymxProvider)) map[string]func() (tfprotov6.ProviderServer, error) {
	p := &butterflymxProvider{version: "test"}
	set(p)
	return map[string]func() (tfprotov6.ProviderServer, error){"butterflymx": providerserver.NewProtocol6WithError(p)}
}
