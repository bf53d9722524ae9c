#!/usr/bin/env bash
# `make demo`: start the Seam emulator with the demo buildings, apply
# examples/quickstart with the provider built here, print the outputs, show
# that a second plan is empty, destroy, and stop the emulator.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/emulator.sh"

cli=${DEMO_CLI:-$root/bin/tofu}
work="$root/bin/demo"
rm -rf "$work" && mkdir -p "$work"
cp "$root"/examples/quickstart/*.tf "$work/"
dev_overrides_config "$work/cli.tfrc"
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

export BUTTERFLY_API_TOKEN=${BUTTERFLY_API_TOKEN:-demo-partner-token}
start_emulator --seed demo --set-delay 1s
echo "== Seam emulator at $SEAM_ENDPOINT (workspace $SEAM_WORKSPACE_ID)"
cd "$work"

echo "== $(basename "$cli") apply"
"$cli" apply -auto-approve -input=false -no-color
echo "== outputs"
"$cli" output -no-color
echo "== second plan (must be empty)"
set +e
"$cli" plan -detailed-exitcode -input=false -no-color >plan.txt
code=$?
set -e
if [ "$code" -ne 0 ]; then
	cat plan.txt
	echo "FAIL: the second plan is not empty (exit $code)" >&2
	exit 1
fi
grep -E "No changes" plan.txt
echo "== destroy"
"$cli" destroy -auto-approve -input=false -no-color | tail -n 1
echo "== demo finished; the emulator stops now"
