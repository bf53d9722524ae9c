// Command terraform-provider-butterflymx serves the ButterflyMX provider for
// Terraform and OpenTofu over plugin protocol 6.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

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
	quietLogsByDefault()
	defer startProfile()()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/openintercom/butterflymx",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}

// logLevelVars are the variables that ask Terraform, OpenTofu or
// terraform-plugin-log for provider logs.
var logLevelVars = []string{
	"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_BUTTERFLYMX", "TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO",
}

// quietLogsByDefault turns the plugin SDK's logs off when no log level was
// asked for. Without a level, terraform-plugin-log writes every trace line
// of the framework as JSON to stderr, and the CLI, which shows provider logs
// only when TF_LOG or TF_LOG_PROVIDER is set, parses and drops each one: a
// third of the provider's CPU in a plan of 500 access codes (make bench,
// BENCH_PROFILE=1). Setting any of logLevelVars keeps the usual behaviour.
func quietLogsByDefault() {
	for _, v := range logLevelVars {
		if os.Getenv(v) != "" {
			return
		}
	}
	for _, v := range []string{"TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO", "TF_LOG_PROVIDER"} {
		_ = os.Setenv(v, "OFF")
	}
}
