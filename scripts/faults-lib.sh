# Helpers of the fault scripts (faults.sh, faults-shared.sh, faults_kill.sh),
# sourced after emulator.sh. Each script sets $cli, the CLI it drives.
# require_node NAME: the fault scripts read the emulator's state with node;
# without it they are skipped, except in CI, where that is a failure.
require_node() {
	command -v node >/dev/null && return 0
	echo "$1: node is not on PATH (it reads the emulator's state); skipped" >&2
	[ "${CI:-}" = true ] && exit 1
	exit 0
}

# fault_workdir DIR SRC makes DIR afresh with the configuration in SRC, and
# points the CLI at the provider built into bin/.
fault_workdir() {
	rm -rf "$1" && mkdir -p "$1"
	cp "$2"/*.tf "$1/"
	dev_overrides_config "$1/cli.tfrc"
	export TF_CLI_CONFIG_FILE="$1/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
}

fail() { echo "FAIL: $*" >&2; exit 1; }

# run ARGS...: the CLI, its output appended to run.log.
run() { "$cli" "$@" -input=false -no-color >>run.log 2>&1; }

# plan_is_empty: a plan may itself hit a fault it cannot retry away (exit
# 1); one that runs must be empty (exit 0, not 2).
plan_is_empty() {
	local n rc
	for n in 1 2 3; do
		rc=0
		run plan -detailed-exitcode || rc=$?
		[ "$rc" -eq 0 ] && return 0
		[ "$rc" -eq 2 ] && return 1
	done
	return 1
}

# control ROUTE [JSON]: posts JSON (default {}) to the emulator's control
# route ROUTE.
control() { curl -fsS -H 'Content-Type: application/json' -d "${2:-{\}}" "$EMULATOR_CONTROL/$1"; }

# calls_to ROUTE: how many calls to ROUTE (/access_codes/create) the emulator
# has received. curl alone: the runs poll this to time an interrupt, and a
# Node.js start per poll can take longer than a reply on a loaded machine.
calls_to() {
	local n
	n=$(curl -fsS "$EMULATOR_CONTROL/stats" | grep -o "\"$1\":[0-9]*" | cut -d: -f2 || true)
	echo "${n:-0}"
}
