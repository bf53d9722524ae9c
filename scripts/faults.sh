#!/usr/bin/env bash
# Correct under faults: apply bench/access-codes against an emulator that
# fails a share of API calls (500 before and after processing, 503, 429,
# connection resets, slow replies), re-applying as a CI pipeline would until
# it succeeds. Then the workspace must hold exactly the declared codes (no
# orphan from a lost create reply, no duplicate), the next plan must be empty,
# and destroy must leave no code behind.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/emulator.sh"
codes=${FAULT_CODES:-24}
rate=${FAULT_RATE:-0.15}
cli=${FAULT_CLI:-$root/bin/tofu}

work="$root/bin/faults"
rm -rf "$work" && mkdir -p "$work"
cp "$root"/bench/access-codes/*.tf "$work/"
dev_overrides_config "$work/cli.tfrc"
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 TF_VAR_codes=$codes

if ! command -v node >/dev/null; then
	echo "faults: node is not on PATH (it reads the emulator's state); skipped" >&2
	[ "${CI:-}" = true ] && exit 1
	exit 0
fi
start_emulator --seed demo --set-delay 0 --rate-limit off --fault-rate "$rate"
cd "$work"

# managed_codes prints how many codes Seam manages in the workspace.
managed_codes() {
	curl -fsS "$EMULATOR_CONTROL/state" | node -e '
		let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
			const codes = JSON.parse(s).state.access_codes || [];
			console.log(codes.filter(c => !c.unmanaged).length);
		});'
}

# until_success CMD...: runs a CLI command up to 8 times, as a pipeline
# re-run would, and prints how many runs it took.
until_success() {
	local run
	for run in $(seq 8); do
		if "$cli" "$@" -input=false -no-color >"run.log" 2>&1; then
			echo "$run"
			return 0
		fi
	done
	tail -n 40 run.log >&2
	echo "still failing after 8 runs" >&2
	return 1
}

fail() { echo "FAIL: $*" >&2; exit 1; }

applies=$(until_success apply -auto-approve -parallelism=8)
have=$(managed_codes)
[ "$have" -eq "$codes" ] || fail "after apply Seam manages $have codes, the configuration declares $codes"
# A plan can itself hit a fault (exit 1); one that runs must be empty (exit 0,
# not 2). A non-empty plan stays non-empty on every run, so it fails here.
until_success plan -detailed-exitcode >/dev/null || fail "the plan after apply is not empty"
destroys=$(until_success destroy -auto-approve -parallelism=8)
left=$(managed_codes)
[ "$left" -eq 0 ] || fail "after destroy Seam still manages $left codes"
stats=$(curl -fsS "$EMULATOR_CONTROL/stats")
echo "faults: $codes codes at fault rate $rate: apply converged in $applies run(s), destroy in $destroys; no orphan, no duplicate, empty re-plan; API calls $stats"
