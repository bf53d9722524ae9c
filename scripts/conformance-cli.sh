#!/usr/bin/env bash
# The provider binary itself, through a real CLI, against Seam's own fake
# (npm @seamapi/fake-seam-connect): apply a butterflymx_access_code, re-plan
# (must be empty), rename it in place (same id, then an empty plan again),
# destroy it, and check with the fake that the code is gone. Run by
# scripts/conformance.sh once the fake is up, with its SEAM_CONFORMANCE_*
# variables set. The CLI is $CONFORMANCE_CLI, else terraform on PATH, else
# bin/tofu.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cli=${CONFORMANCE_CLI:-$(command -v terraform || true)}
[[ -n "$cli" ]] || cli="$root/bin/tofu"
if [[ ! -x "$cli" ]]; then
	echo "conformance-cli: no terraform on PATH and no bin/tofu (make tool-tofu); the provider run needs a CLI." >&2
	[ "${CI:-}" = true ] && exit 1
	echo "conformance-cli: skipped" >&2
	exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/seam-conformance-cli.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/tf"
go build -o "$work/bin/terraform-provider-butterflymx" "$root"
cat >"$work/cli.tfrc" <<TFRC
provider_installation {
  dev_overrides {
    "openintercom/butterflymx" = "$work/bin"
  }
  direct {}
}
TFRC
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

# The last panel of the account: the client tests write on the first ones.
device=${SEAM_CONFORMANCE_DEVICE_IDS##*,}
# The fake never finishes programming a code (it stays "setting"), so the
# run does not wait for "set"; destroy waits for the removal regardless.
config() {
	cat >"$work/tf/main.tf" <<TF
terraform {
  required_providers {
    butterflymx = { source = "openintercom/butterflymx" }
  }
}
provider "butterflymx" {
  endpoint = "$SEAM_CONFORMANCE_ENDPOINT"
  api_key  = "$SEAM_CONFORMANCE_API_KEY"
}
resource "butterflymx_access_code" "conformance" {
  device_id    = "$device"
  name         = "$1"
  code         = "617284"
  wait_for_set = false
}
output "id" {
  value = butterflymx_access_code.conformance.id
}
TF
}

name=$(basename "$cli")
tf() { (cd "$work/tf" && "$cli" "$@" -no-color) >"$work/last.log" 2>&1 || { echo "conformance-cli: $name $1 failed:" >&2; cat "$work/last.log" >&2; exit 1; }; }
empty_plan() {
	local rc=0
	(cd "$work/tf" && "$cli" plan -detailed-exitcode -no-color) >"$work/last.log" 2>&1 || rc=$?
	if [[ $rc -ne 0 ]]; then
		echo "conformance-cli: $name plan after $1 is not empty (exit $rc):" >&2
		cat "$work/last.log" >&2
		exit 1
	fi
}
output_id() { (cd "$work/tf" && "$cli" output -raw id); }

config "Conformance courier"
tf apply -auto-approve
id=$(output_id)
empty_plan "the create"
config "Conformance courier (renamed)"
tf apply -auto-approve
grep -q '0 added, 1 changed, 0 destroyed' "$work/last.log" || { echo "conformance-cli: the rename was not an update in place:" >&2; cat "$work/last.log" >&2; exit 1; }
[[ "$(output_id)" == "$id" ]] || { echo "conformance-cli: the rename replaced access code $id" >&2; exit 1; }
empty_plan "the rename"
tf destroy -auto-approve

# The fake must not know the code any more (a 404 with a not-found type,
# not a bare 404 for a route).
ID="$id" node -e '
	const r = await fetch(process.env.SEAM_CONFORMANCE_ENDPOINT + "/access_codes/get", {
		method: "POST",
		headers: { authorization: "Bearer " + process.env.SEAM_CONFORMANCE_API_KEY, "content-type": "application/json" },
		body: JSON.stringify({ access_code_id: process.env.ID }),
	})
	const body = await r.json().catch(() => ({}))
	const type = body?.error?.type ?? ""
	if (r.status !== 404 || !(type === "not_found" || type.endsWith("_not_found"))) {
		console.error(`conformance-cli: access code ${process.env.ID} after destroy: HTTP ${r.status} ${JSON.stringify(body)}`)
		process.exit(1)
	}
' --input-type=module
echo "conformance-cli: $name: apply, empty re-plan, rename in place, destroy of access code $id against fake-seam-connect: ok" >&2
