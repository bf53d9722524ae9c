#!/usr/bin/env bash
# Regenerates docs/ with tfplugindocs, offline. The schema comes from the
# provider itself (internal/cmd/providerschema serves it in-process), not from
# a CLI, so the docs cannot change with the Terraform or OpenTofu installed and
# they cover actions, which OpenTofu does not report.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/bin/docs"
rm -rf "$work" && mkdir -p "$work"

cd "$root"
go run ./internal/cmd/providerschema > "$work/schema.json"
"$root/bin/tofu" fmt -recursive examples/ >/dev/null
"$root/bin/tfplugindocs" generate --provider-dir "$root" --provider-name butterflymx \
	--providers-schema "$work/schema.json" --rendered-provider-name "ButterflyMX (via Seam)"
