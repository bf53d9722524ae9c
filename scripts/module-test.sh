#!/usr/bin/env bash
# Runs the tests of examples/module-test (terraform test / tofu test) against
# a fresh seam-emulator, with the provider built into bin/, on every CLI
# available: bin/tofu, and terraform when it is on PATH.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/emulator.sh"

clis=("$root/bin/tofu")
if command -v terraform >/dev/null; then
	clis+=("$(command -v terraform)")
fi

run_with() {
	local cli=$1 name work
	name=$(basename "$cli")
	work="$root/bin/module-test/$name"
	rm -rf "$work" && mkdir -p "$work"
	cp -R "$root/examples/module-test/." "$work/"
	dev_overrides_config "$work/cli.tfrc"
	(
		export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
		start_emulator --seed demo --set-delay 0 --rate-limit off
		cd "$work"
		# With dev_overrides there is nothing to install, and init would ask
		# the registry (offline here) for the overridden provider: no init.
		"$cli" test -no-color >test.log 2>&1 || { cat test.log >&2; exit 1; }
		echo "module-test: $name: $(grep -E '(Success|Failure)!' test.log || tail -n 1 test.log)"
	)
}

for cli in "${clis[@]}"; do
	run_with "$cli"
done
