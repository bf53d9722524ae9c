// Command terraform-provider-butterflymx serves the ButterflyMX provider for
// Terraform and OpenTofu over plugin protocol 6.
package main

import (
	"flag"
	"fmt"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/openintercom/terraform-provider-butterflymx/internal/pluginlog"
	"github.com/openintercom/terraform-provider-butterflymx/internal/provider"
	"github.com/openintercom/terraform-provider-butterflymx/internal/rpcctx"
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

	server, err := rpcctx.Server(provider.New(version)())()
	if err != nil {
		log.Fatal(err)
	}
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	err = tf6server.Serve("registry.terraform.io/openintercom/butterflymx", func() tfprotov6.ProviderServer { return server }, opts...)
	if err != nil {
		log.Fatal(err)
	}
}
