#!/usr/bin/env bash
# Builds Terraform from its module on the Go module proxy into $1 (bin/) as
# terraform-MAJOR.MINOR, skipping the build when that binary is already there
# at the pinned version.
#
# `go install github.com/hashicorp/terraform@vX` does not work: Terraform's
# go.mod replaces nested modules (nine remote-state backends and
# internal/legacy) with directories the module zip does not contain. So this
# copies the module, drops those backends from the backend list and go.mod,
# drops the one test file that imports internal/legacy, drops go-getter's s3
# and gcs getters (and with them the AWS and Google SDKs; patch-lib.sh), the
# OpenTelemetry exporters and the `stacks` and `rpcapi` commands, and builds.
# The local, http, inmem, remote and cloud backends stay, which is all the
# tests use. Every line it removes is checked first: when a new release
# moves them, it stops instead of building something else.
set -euo pipefail
export GOWORK=off
bin=${1:?usage: build-terraform.sh BIN_DIR}
mkdir -p "$bin"
bin=$(cd "$bin" && pwd)
. "$(dirname "$0")/patch-lib.sh"

# The newest 1.14 the proxy serves; 1.14 is the first with actions and list
# resources (terraform query).
version=1.14.9
module=github.com/hashicorp/terraform
script=build-terraform product="Terraform ${version}"
out="$bin/terraform-${version%.*}"
backends=(azure consul cos gcs kubernetes oci oss pg s3)

if built "Terraform v${version}" "$out"; then
	exit 0
fi
echo "building Terraform ${version} from the module proxy (about 5 CPU-minutes the first time)"

module_copy "${module}@v${version}" terraform

init=internal/backend/init/init.go
legacy_test=internal/command/views/hook_count_test.go
getmodules=internal/getmodules/getter.go
telemetry=telemetry.go
commands=commands.go
stacks_command=internal/command/stacks.go
rpcapi_import="	\"${module}/internal/rpcapi\""
# The two commands' entries in the command table: first line, last line,
# length.
rpcapi_entry=('		// "rpcapi" is handled a bit differently because the whole point of' '		}),' 10)
stacks_entry=('		"stacks": func() (cli.Command, error) {' '		},' 5)
autoexport=go.opentelemetry.io/contrib/exporters/autoexport

# The import alias and the backend's name in the map, per backend.
declare -A alias=([azure]=Azure [consul]=Consul [cos]=Cos [gcs]=GCS [kubernetes]=Kubernetes [oci]=OCI [oss]=OSS [pg]=Pg [s3]=S3)
declare -A name=([azure]=azurerm [consul]=consul [cos]=cos [gcs]=gcs [kubernetes]=kubernetes [oci]=oci [oss]=oss [pg]=pg [s3]=s3)
# entry_re NAME ALIAS: the backend's entry in the backend list.
entry_re() { echo "^[[:space:]]+\"$1\":[[:space:]]+func\(\) backend\.Backend \{ return backend$2\.New\(\) \},\$"; }

# drop_telemetry_exporters replaces telemetry.go with one that keeps its
# names but refuses OTEL_TRACES_EXPORTER=otlp: the exporters' packages
# (OTLP, Prometheus) took a tenth of every command's start-up, and a run of
# the acceptance tests starts the CLI thousands of times.
drop_telemetry_exporters() {
	cat >"$telemetry" <<'GO'
package main

import (
	"errors"
	"os"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"
)

const openTelemetryExporterEnvVar = "OTEL_TRACES_EXPORTER"

var tracer trace.Tracer

func init() {
	tracer = otel.Tracer("github.com/hashicorp/terraform")
}

// openTelemetryInit refuses what the original would export: this build has
// no exporter.
func openTelemetryInit() error {
	if os.Getenv(openTelemetryExporterEnvVar) != "otlp" {
		return nil
	}
	return errors.New("this build of Terraform (tools/build-terraform.sh) has no OpenTelemetry exporter")
}
GO
	echo "  replaced $telemetry: the same names, without the OpenTelemetry exporters"
}

# drop_stacks_commands removes `terraform stacks` and `terraform rpcapi`
# (HCP Terraform Stacks and the RPC API for wrapping programs, neither used
# by the tests): their protocol packages were another tenth of every
# command's start-up.
drop_stacks_commands() {
	remove_block "$commands" "${rpcapi_entry[@]}"
	remove_block "$commands" "${stacks_entry[@]}"
	remove_line "$commands" "$rpcapi_import"
	rm "$stacks_command"
	echo "  removed $stacks_command (the stacks command)"
}

# Check everything before changing anything.
for b in "${backends[@]}"; do
	path="${module}/internal/backend/remote-state/$b"
	expect_once "$init" "	backend${alias[$b]} \"$path\""
	[ ! -d "internal/backend/remote-state/$b" ] || fail "internal/backend/remote-state/$b is in the module now"
	match_once "$init" "$(entry_re "${name[$b]}" "${alias[$b]}")" >/dev/null
	expect_once go.mod "	$path v0.0.0-00010101000000-000000000000"
	expect_once go.mod "replace $path => ./internal/backend/remote-state/$b"
done
expect_once go.mod "	${module}/internal/legacy v0.0.0-00010101000000-000000000000"
expect_once go.mod "replace ${module}/internal/legacy => ./internal/legacy"
importers=$(grep -rlF --include='*.go' "\"${module}/internal/legacy/" . | sed 's|^\./||' || true)
[ "$importers" = "$legacy_test" ] || fail "expected only $legacy_test to import internal/legacy, found: ${importers:-none}"
getter_check "$getmodules" ../go-getter
expect_once "$telemetry" "	\"$autoexport\""
[ "$(grep -E '^(func|var|const|type) ' "$telemetry")" = "$(printf '%s\n' 'const openTelemetryExporterEnvVar = "OTEL_TRACES_EXPORTER"' \
	'var tracer trace.Tracer' 'func init() {' 'func openTelemetryInit() error {')" ] ||
	fail "expected $telemetry to declare openTelemetryExporterEnvVar, tracer, an init and openTelemetryInit only"
block_at "$commands" "${rpcapi_entry[@]}" >/dev/null
block_at "$commands" "${stacks_entry[@]}" >/dev/null
expect_once "$commands" "$rpcapi_import"
[ "$(grep -rlw --include='*.go' StacksCommand . | grep -v '_test\.go$' | sort | tr '\n' ' ')" = "./$commands ./$stacks_command " ] ||
	fail "expected only $commands to use the StacksCommand of $stacks_command"

echo "dropping what the module zip does not contain:"
for b in "${backends[@]}"; do
	path="${module}/internal/backend/remote-state/$b"
	remove_line "$init" "	backend${alias[$b]} \"$path\""
	remove_line "$init" "$(match_once "$init" "$(entry_re "${name[$b]}" "${alias[$b]}")")"
	go mod edit -droprequire="$path" -dropreplace="$path"
	echo "  removed from go.mod: require and replace of $path"
done
go mod edit -droprequire="${module}/internal/legacy" -dropreplace="${module}/internal/legacy"
echo "  removed from go.mod: require and replace of ${module}/internal/legacy"
rm "$legacy_test"
echo "  removed $legacy_test (the only importer of internal/legacy, a test)"
gofmt -w "$init"
echo "dropping go-getter's cloud getters:"
getter_drop "$getmodules" ../go-getter
drop_telemetry_exporters
drop_stacks_commands
expect_left_out . "$cloud_sdks|^$autoexport(/|\$)|^${module}/internal/(rpcapi|stacks|stacksplugin)(/|\$)"

# Without version.dev=no it would call itself 1.14.9-dev.
CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -trimpath \
	-ldflags "-X ${module}/version.dev=no" -o "$out.tmp" .
mv "$out.tmp" "$out"
stamp "$out"
cli_version "$out"
