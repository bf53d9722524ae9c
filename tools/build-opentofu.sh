#!/usr/bin/env bash
# Builds OpenTofu, at the version tools/go.mod pins, from its module on the Go
# module proxy into $1 (bin/) as tofu, skipping the build when that binary is
# already there at the pinned version.
#
# Half of what `go build github.com/opentofu/opentofu/cmd/tofu` compiles is
# cloud SDKs (AWS, Google, Azure, Kubernetes, ...) that only the cloud state
# backends, the cloud key providers of state encryption and go-getter's s3 and
# gcs module sources use; the tests use local state and registry modules. So
# this copies the module, drops those backends and key providers from their
# lists and go-getter's two getters (patch-lib.sh), and builds inside the copy,
# so its own go.mod (the hcl fork replace, the release's dependency versions)
# applies. The local, http, inmem, remote and cloud backends and the pbkdf2 and
# external key providers stay. Every line it removes is checked first.
set -euo pipefail
export GOWORK=off
bin=${1:?usage: build-opentofu.sh BIN_DIR}
mkdir -p "$bin"
bin=$(cd "$bin" && pwd)
. "$(dirname "$0")/patch-lib.sh"

module=github.com/opentofu/opentofu
version=$(cd "$(dirname "$0")" && go list -m -f '{{.Version}}' "$module")
script=build-opentofu product="OpenTofu ${version}"
out="$bin/tofu"
backends=(azure consul cos gcs kubernetes oss pg s3)
keyproviders=(aws_kms azure_vault gcp_kms openbao)

if built "OpenTofu ${version}" "$out"; then
	exit 0
fi
echo "building OpenTofu ${version} without the cloud backends (about 5 CPU-minutes the first time)"

module_copy "${module}@${version}" opentofu

init=internal/backend/init/init.go
registry=internal/encryption/default_registry.go
getmodules=internal/getmodules/getter.go

# only_importer PACKAGE-DIR FILE: FILE is the only Go file outside tests and
# outside the directories this script drops that imports the package.
only_importer() {
	local found
	found=$(grep -rlF --include='*.go' "\"${module}/$1\"" . | sed 's|^\./||' |
		grep -v '_test\.go$' | grep -vE "^internal/(backend/remote-state|encryption/keyprovider)/($dropped_re)/" || true)
	[ "$found" = "$2" ] || fail "expected only $2 to import $1, found: ${found:-none}"
}

# register_block KEYPROVIDER: the three lines that register a key provider.
register_block() {
	printf '%s\n' "	if err := DefaultRegistry.RegisterKeyProvider($1.New()); err != nil {" "		panic(err)" "	}"
}

# The import alias and the backend's name in the map, per backend.
declare -A alias=([azure]=Azure [consul]=Consul [cos]=Cos [gcs]=GCS [kubernetes]=Kubernetes [oss]=OSS [pg]=Pg [s3]=S3)
declare -A name=([azure]=azurerm [consul]=consul [cos]=cos [gcs]=gcs [kubernetes]=kubernetes [oss]=oss [pg]=pg [s3]=s3)
dropped_re=$(IFS='|' && echo "${backends[*]}|${keyproviders[*]}")
entry_re() { echo "^[[:space:]]+\"$1\":[[:space:]]+func\(enc encryption\.StateEncryption\) backend\.Backend \{ return backend$2\.New\(enc\) \},\$"; }

# Check everything before changing anything.
for b in "${backends[@]}"; do
	expect_once "$init" "	backend${alias[$b]} \"${module}/internal/backend/remote-state/$b\""
	match_once "$init" "$(entry_re "${name[$b]}" "${alias[$b]}")" >/dev/null
	only_importer "internal/backend/remote-state/$b" "$init"
done
for k in "${keyproviders[@]}"; do
	expect_once "$registry" "	\"${module}/internal/encryption/keyprovider/$k\""
	expect_once "$registry" "$(register_block "$k" | sed -n 1p)"
	grep -A2 -xF -- "$(register_block "$k" | sed -n 1p)" "$registry" | cmp -s - <(register_block "$k") ||
		fail "expected the registration of $k in $registry to be three lines"
	only_importer "internal/encryption/keyprovider/$k" "$registry"
done
getter_check "$getmodules" ../go-getter

echo "dropping the cloud backends, key providers and module getters:"
for b in "${backends[@]}"; do
	remove_line "$init" "	backend${alias[$b]} \"${module}/internal/backend/remote-state/$b\""
	remove_line "$init" "$(match_once "$init" "$(entry_re "${name[$b]}" "${alias[$b]}")")"
done
for k in "${keyproviders[@]}"; do
	remove_line "$registry" "	\"${module}/internal/encryption/keyprovider/$k\""
	n=$(grep -nxF -- "$(register_block "$k" | sed -n 1p)" "$registry" | cut -d: -f1)
	awk -v n="$n" 'NR < n || NR > n + 2' "$registry" >"$registry.new" && mv "$registry.new" "$registry"
	echo "  removed from $registry: the registration of $k"
done
gofmt -w "$init" "$registry"
getter_drop "$getmodules" ../go-getter
expect_left_out ./cmd/tofu "$cloud_sdks"

# Without version.dev=no it would call itself -dev.
CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -trimpath \
	-ldflags "-X ${module}/version.dev=no" -o "$out.tmp" ./cmd/tofu
mv "$out.tmp" "$out"
stamp "$out"
cli_version "$out"
