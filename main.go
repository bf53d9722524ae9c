// Command terraform-provider-butterflymx serves the ButterflyMX provider for
// Terraform and OpenTofu over plugin protocol 6.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/debug"

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
	limitMemory()
	defer startProfile()()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/openintercom/butterflymx",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}

// memoryLimit is the provider's soft memory limit. Almost all of its heap
// is short-lived: the plugin SDK's per-request logging contexts and gRPC
// streams of the requests in flight (heap profiles of `make bench`,
// BENCH_PROFILE=1). With the Go default alone, a plan of 1,000 access codes
// let that garbage grow the process past 160 MB before a collection; the
// limit makes the collector run before the heap passes it. It is soft: a
// larger live heap (a data source of thousands of panels) still fits, at
// the cost of more collections.
const memoryLimit = 56 << 20

// limitMemory sets memoryLimit, unless GOMEMLIMIT asks for another limit.
func limitMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}
