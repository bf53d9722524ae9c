// Command terraform-provider-butterflymx serves the ButterflyMX provider for
// Terraform and OpenTofu over plugin protocol 6.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/openintercom/terraform-provider-butterflymx/internal/pluginlog"
	"github.com/openintercom/terraform-provider-butterflymx/internal/provider"
)

// version is set by the release build (goreleaser's ldflags).
var version = "dev"

func main() {
	var debug, printVersion bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve (prints TF_REATTACH_PROVIDERS)")
	flag.BoolVar(&printVersion, "version", false, "print the version and exit (the release check reads it)")
	flag.Parse()
	if printVersion {
		fmt.Println("terraform-provider-butterflymx", version)
		return
	}
	pluginlog.QuietByDefault()
	defer startProfile()()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/openintercom/butterflymx",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}
