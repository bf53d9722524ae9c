#!/usr/bin/env bash
# Correct under faults. Against an emulator that fails a share of
# the API calls (429, 500 before and after processing, 502, 503, connection
# resets, replies held past the provider's request timeout after processing):
#
#  1. FAULT_CODES PIN codes on FAULT_PANELS panels converge in ONE apply: the
#     names and PINs in Seam are exactly the configuration's (no duplicate, no
#     orphan), the next plan is empty, and one destroy leaves none. The
#     emulator's stats must show every fault kind on access_codes/create.
#  2. The same with a SIGINT to the CLI in the middle of the apply, followed
#     by a second apply.
#
# `faults.sh one-apply` or `faults.sh interrupt` runs one of them, each in its
# own work directory against its own emulator; with no argument, both in turn.
# scripts/faults-all.sh runs them with the shared-code and SIGKILL runs.
#
# Mutation check: make findCreated (internal/provider/access_code_create.go)
# return nothing and this script fails (orphans or a failed apply).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/emulator.sh"
. "$root/scripts/faults-lib.sh"
codes=${FAULT_CODES:-200}
panels=${FAULT_PANELS:-10}
rate=${FAULT_RATE:-0.2}
cli=${FAULT_CLI:-$root/bin/tofu}

scenario=${1:-}
case "$scenario" in
"" | one-apply | interrupt) ;;
*) fail "unknown scenario $scenario (one-apply, interrupt, or none for both)" ;;
esac

require_node faults

work="$root/bin/faults${scenario:+-$scenario}"
fault_workdir "$work" "$root/scripts/faults"
export TF_VAR_codes=$codes TF_VAR_panels=$panels
cd "$work"

# start_faulty_emulator starts an emulator with the faults and enough panels.
start_faulty_emulator() {
	start_emulator --seed demo --set-delay 0 --rate-limit off --fault-rate "$rate" --slow-reply 1500ms "$@"
	control devices/add_panels '{"connected_account_id":"5eed0000-0000-4000-8000-0000000000a1","count":'"$panels"',"name_prefix":"Fault"}' >/dev/null
}

# check_codes compares the managed codes in Seam with the configuration:
# the same set of (name, PIN) pairs, each once, each on the panel the
# configuration puts it on. Prints a problem, or nothing.
check_codes() {
	local want=$1
	curl -fsS "$EMULATOR_CONTROL/state" | node -e '
		const want = Number(process.argv[1]);
		let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
			const codes = (JSON.parse(s).state.access_codes || []).filter(c => !c.unmanaged);
			const problems = [], seen = new Map();
			for (const c of codes) {
				const key = c.name + "=" + c.code;
				seen.set(key, (seen.get(key) || 0) + 1);
			}
			const expected = new Set();
			for (let i = 0; i < want; i++) expected.add("Resident " + i + "=" + String(100000 + i).padStart(6, "0"));
			for (const [key, n] of seen) {
				if (!expected.has(key)) problems.push("orphan or wrong code in Seam: " + key.replace(/=.*/, "=<PIN>"));
				else if (n > 1) problems.push("duplicate in Seam (" + n + "x): " + key.replace(/=.*/, ""));
			}
			for (const key of expected) if (!seen.has(key)) problems.push("missing in Seam: " + key.replace(/=.*/, ""));
			if (problems.length) console.log(problems.slice(0, 10).join("\n") + (problems.length > 10 ? "\n... " + problems.length + " problems" : ""));
		});' "$want"
}

# check_fault_kinds checks that every fault kind hit access_codes/create.
check_fault_kinds() {
	curl -fsS "$EMULATOR_CONTROL/stats" | node -e '
		let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
			const f = (JSON.parse(s).faults || {})["/access_codes/create"] || {};
			const kinds = ["429", "500_before_processing", "500_after_processing", "502", "503", "connection_reset", "slow_reply_after_processing"];
			const missing = kinds.filter(k => !f[k]);
			if (missing.length) console.log("no " + missing.join(", ") + " fault on access_codes/create: " + JSON.stringify(f));
		});'
}

# fault_summary prints how many faults were injected, in all and on creates.
fault_summary() {
	curl -fsS "$EMULATOR_CONTROL/stats" | node -e '
		let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
			const st = JSON.parse(s), f = st.faults || {};
			let all = 0; for (const r in f) for (const k in f[r]) all += f[r][k];
			const c = f["/access_codes/create"] || {};
			console.log(st.total + " calls, " + all + " faults injected, on creates " + JSON.stringify(c));
		});'
}

# converge_and_destroy NAME: the checks after a converged apply.
converge_and_destroy() {
	local problems
	problems=$(check_codes "$codes")
	[ -z "$problems" ] || { tail -n 30 run.log >&2; fail "$1: after apply:
$problems"; }
	plan_is_empty || { tail -n 30 run.log >&2; fail "$1: the plan after apply is not empty"; }
	run destroy -auto-approve -parallelism=10 || { tail -n 30 run.log >&2; fail "$1: destroy failed"; }
	problems=$(check_codes 0)
	[ -z "$problems" ] || fail "$1: after destroy:
$problems"
}

# one_apply: one apply under faults.
one_apply() {
	start_faulty_emulator
	: >run.log
	run apply -auto-approve -parallelism=10 || { tail -n 40 run.log >&2; fail "the apply under faults did not converge in one run"; }
	problems=$(check_fault_kinds)
	[ -z "$problems" ] || fail "$problems"
	summary=$(fault_summary)
	converge_and_destroy "one apply"
	echo "faults: $codes codes on $panels panels at fault rate $rate converged in one apply; names and PINs match, empty re-plan, destroy left none; $summary"
}

# interrupt: an interrupt in the middle, then a second apply. Latency keeps many
# creates in flight when the signal comes.
interrupt() {
	local apply_pid half made rc summary
	start_faulty_emulator --latency 200ms
	: >run.log
	"$cli" apply -auto-approve -parallelism=10 -input=false -no-color >>run.log 2>&1 &
	apply_pid=$!
	half=$((codes / 2))
	for _ in $(seq 600); do
		made=$(calls_to /access_codes/create)
		[ "$made" -ge "$half" ] && break
		kill -0 "$apply_pid" 2>/dev/null || break
		sleep 0.2
	done
	kill -INT "$apply_pid" 2>/dev/null || fail "the apply ended before it could be interrupted"
	rc=0
	wait "$apply_pid" || rc=$?
	[ "$rc" -ne 0 ] || fail "the interrupted apply reported success"
	grep -q "Interrupt received" run.log || fail "the CLI did not see the interrupt"
	run apply -auto-approve -parallelism=10 || { tail -n 40 run.log >&2; fail "the apply after the interrupt did not converge in one run"; }
	summary=$(fault_summary)
	converge_and_destroy "interrupt"
	echo "faults: SIGINT after $made creates, then one apply: names and PINs match, empty re-plan, destroy left none; $summary"
}

case "$scenario" in
one-apply) one_apply ;;
interrupt) interrupt ;;
*)
	one_apply
	# The first run's emulator; the second one is stopped on exit.
	kill "$EMULATOR_PID" 2>/dev/null; wait "$EMULATOR_PID" 2>/dev/null || true
	rm -f terraform.tfstate terraform.tfstate.backup
	interrupt
	;;
esac
