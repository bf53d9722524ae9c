#!/usr/bin/env bash
# Regenerates docs/ with tfplugindocs, offline. The schema comes from the
# OpenTofu that `make tools` builds, never from whatever Terraform is on PATH,
# so the output is the same on every machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/bin/docs"
rm -rf "$work" && mkdir -p "$work"

cat > "$work/cli.tfrc" <<TFRC
provider_installation {
  dev_overrides {
    "openintercom/butterflymx" = "$root/bin"
  }
  direct {}
}
TFRC
cat > "$work/main.tf" <<'HCL'
terraform {
  required_providers {
    butterflymx = { source = "openintercom/butterflymx" }
  }
}
HCL

# tfplugindocs looks the schema up by the provider's short name.
(cd "$work" && TF_CLI_CONFIG_FILE="$work/cli.tfrc" "$root/bin/tofu" providers schema -json) \
	| sed 's#"registry.opentofu.org/openintercom/butterflymx"#"butterflymx"#' > "$work/schema.json"

cd "$root"
"$root/bin/tofu" fmt -recursive examples/ >/dev/null
"$root/bin/tfplugindocs" generate --provider-dir "$root" --provider-name butterflymx \
	--providers-schema "$work/schema.json" --rendered-provider-name "ButterflyMX (via Seam)"
