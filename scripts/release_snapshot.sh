#!/usr/bin/env bash
# `make release-snapshot`: build the release as the Terraform Registry gets it
# (zips, SHA256SUMS, manifest) into dist/, unsigned, then check it with
# internal/cmd/releasecheck. SINGLE_TARGET=1 builds this machine's platform
# only (CI: all platforms take minutes); GoReleaser's own --single-target
# belongs to `goreleaser build`, which makes no zips or sums, so the snapshot
# runs on a copy of .goreleaser.yml narrowed to this platform.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

config=.goreleaser.yml
require=darwin_amd64,darwin_arm64,linux_amd64,linux_arm64,windows_amd64
if [ "${SINGLE_TARGET:-}" = 1 ]; then
	goos=$(go env GOOS) goarch=$(go env GOARCH)
	config=$(mktemp --suffix=.yml)
	trap 'rm -f "$config"' EXIT
	sed -e "s/^    goos: .*/    goos: [$goos]/" -e "s/^    goarch: .*/    goarch: [$goarch]/" .goreleaser.yml >"$config"
	grep -q "goos: \[$goos\]" "$config" && grep -q "goarch: \[$goarch\]" "$config" ||
		{ echo "release-snapshot: could not narrow .goreleaser.yml to $goos/$goarch (goos/goarch lines moved?)" >&2; exit 1; }
	require=${goos}_${goarch}
fi
start=$(date +%s)
bin/goreleaser release --snapshot --clean --skip=sign --config "$config"
echo "== goreleaser took $(( $(date +%s) - start ))s"
# A snapshot publishes nothing, so the manifest that release.extra_files would
# upload beside the zips is put in dist/ under the same name here; its sum is
# already in SHA256SUMS (checksum.extra_files).
version=$(sed -n 's/.*"version":"\([^"]*\)".*/\1/p' dist/metadata.json)
cp terraform-registry-manifest.json "dist/terraform-provider-butterflymx_${version}_manifest.json"
go run ./internal/cmd/releasecheck -require "$require" dist
