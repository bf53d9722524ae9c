#!/usr/bin/env bash
# `make demo`: start the Seam emulator with the demo buildings, apply
# examples/quickstart with the provider built here, print the outputs, show
# that a second plan is empty, destroy, and stop the emulator.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/emulator.sh"

# demo_cli prints the CLI to run: DEMO_CLI, else terraform or tofu from PATH,
# else bin/tofu, built here only when it is missing (minutes the first time),
# so a first run never waits for a build it does not need.
demo_cli() {
	if [ -n "${DEMO_CLI:-}" ]; then
		echo "$DEMO_CLI"
	elif command -v terraform >/dev/null; then
		command -v terraform
	elif command -v tofu >/dev/null; then
		command -v tofu
	else
		"$root/tools/install.sh" "$root/bin" tofu >&2
		echo "$root/bin/tofu"
	fi
}

cli=$(demo_cli)
work="$root/bin/demo"
rm -rf "$work" && mkdir -p "$work"
cp "$root"/examples/quickstart/*.tf "$work/"
dev_overrides_config "$work/cli.tfrc"
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
echo "== using $("$cli" version | head -n 1) ($cli); DEMO_CLI=/path/to/cli chooses another"

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
