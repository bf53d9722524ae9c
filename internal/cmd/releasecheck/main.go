// Command releasecheck checks a GoReleaser dist/ directory against what the
// Terraform Registry expects of a provider release (`make release-snapshot`
// runs it):
//
//   - one terraform-provider-butterflymx_VERSION_SHA256SUMS, VERSION semver
//     without a leading v;
//   - terraform-provider-butterflymx_VERSION_manifest.json with protocol 6.0,
//     the same as terraform-registry-manifest.json;
//   - one terraform-provider-butterflymx_VERSION_OS_ARCH.zip per platform,
//     each holding only terraform-provider-butterflymx_vVERSION(.exe);
//   - SHA256SUMS listing exactly the zips and the manifest, with their sums;
//   - the binary for this machine reporting VERSION (-version).
//
// Usage: releasecheck [-require os_arch,...] DIST_DIR
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
)

func main() {
	require := flag.String("require", "darwin_amd64,darwin_arm64,linux_amd64,linux_arm64,windows_amd64",
		"platforms (os_arch, comma-separated) that must have a zip")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: releasecheck [-require os_arch,...] DIST_DIR")
		os.Exit(2)
	}
	report, err := checkDist(context.Background(), flag.Arg(0), strings.Split(*require, ","))
	if err != nil {
		fmt.Fprintln(os.Stderr, "releasecheck:", err)
		os.Exit(1)
	}
	fmt.Println(report)
}
