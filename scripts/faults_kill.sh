#!/usr/bin/env bash
# SIGKILL runs. KILL_CODES codes (half with a chosen PIN, half generated) on
# KILL_PANELS panels; the apply is killed with SIGKILL once half the creates
# were sent or after KILL_AFTER seconds: first the CLI, then, in a second
# run, the provider process. Nothing saves state after a SIGKILL, so codes
# the killed run made are in Seam and in no state. Then:
#
#  1. the plan's errors name the codes to import (address and id, parsed
#     from its JSON diagnostics); they are imported (terraform import) and
#     the plan run again until it names none;
#  2. ONE apply;
#  3. checks: 0 orphans (codes on the panels in no state), 0 duplicates (a
#     name twice), every configured code present, an empty re-plan, and
#     destroy leaves no PIN on the panels. The counts are printed.
#
# Mutation check: make killedRunCode (internal/provider/killed_run_codes.go)
# return nil and this fails (duplicates, or an apply refused with 409).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/emulator.sh"
. "$root/scripts/faults-lib.sh"
codes=${KILL_CODES:-60}
panels=${KILL_PANELS:-5}
after=${KILL_AFTER:-12}
cli=${FAULT_CLI:-$root/bin/tofu}

# `faults_kill.sh cli` or `faults_kill.sh provider` kills only that one, in
# its own work directory; with no argument, both in turn.
what=${1:-}
case "$what" in
"" | cli | provider) ;;
*) fail "unknown run $what (cli, provider, or none for both)" ;;
esac

require_node faults_kill

work="$root/bin/faults-kill${what:+-$what}"
fault_workdir "$work" "$root/scripts/faults/kill"
export TF_VAR_codes=$codes TF_VAR_panels=$panels
cd "$work"

# counts prints "ORPHANS DUPLICATES MISSING PINS" for the codes on the Kill
# panels: managed codes whose id no state holds, extra codes with a name
# already seen, configured names absent, and every code (managed or not).
counts() {
	local ids=""
	[ -s terraform.tfstate ] && ids=$(node -e '
		const st = JSON.parse(require("fs").readFileSync("terraform.tfstate", "utf8"));
		for (const r of st.resources || []) for (const i of r.instances || []) console.log(i.attributes.id);')
	curl -fsS "$EMULATOR_CONTROL/state" | IDS="$ids" node -e '
		const want = Number(process.argv[1]), held = new Set(process.env.IDS.split("\n"));
		let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
			const st = JSON.parse(s).state;
			const panels = new Set(st.devices.filter(d => (d.properties?.name || d.display_name || d.name || "").startsWith("Kill")).map(d => d.device_id));
			const codes = st.access_codes.filter(c => panels.has(c.device_id));
			const names = new Map();
			let orphans = 0, dups = 0, missing = 0;
			for (const c of codes) {
				if (!c.unmanaged && !held.has(c.access_code_id)) orphans++;
				names.set(c.name, (names.get(c.name) || 0) + 1);
			}
			for (const n of names.values()) dups += n - 1;
			for (let i = 0; i < want; i++) {
				const name = (i % 2 ? "Guest " : "Visitor ") + Math.floor(i / 2);
				if (!names.has(name)) missing++;
			}
			console.log(orphans, dups, missing, codes.length);
		});' "$1"
}

# import_commands reads the plan's JSON lines and prints, for each code it
# refused to create again, the address and id of the import it names.
import_commands() {
	node -e '
		for (const l of require("fs").readFileSync(process.argv[1], "utf8").split("\n")) {
			if (!l.startsWith("{")) continue;
			const d = JSON.parse(l).diagnostic;
			if (!d || d.summary !== "Access code already made by an interrupted run") continue;
			const m = /terraform import <address> (\S+)/.exec(d.detail);
			if (!d.address || !m) { console.error("no address or id in: " + l); process.exit(1); }
			console.log(d.address + " " + m[1]);
		}' plan.json
}

# follow_guidance plans and runs the imports the plan names, until a plan
# names none (identical codes are only told apart once the state holds
# some); prints how many it imported.
follow_guidance() {
	local total=0 rc pairs addr id
	for _ in 1 2 3; do
		rc=0
		"$cli" plan -json -input=false >plan.json 2>>run.log || rc=$?
		pairs=$(import_commands)
		if [ -z "$pairs" ]; then
			[ "$rc" -eq 0 ] || { tail -n 20 plan.json >&2; fail "the plan failed without naming codes to import"; }
			echo "$total"
			return
		fi
		while read -r addr id; do
			"$cli" import -input=false -no-color "$addr" "$id" >>run.log 2>&1 || { tail -n 20 run.log >&2; fail "terraform import $addr $id failed"; }
			total=$((total + 1))
		done <<<"$pairs"
	done
	fail "the plan still names codes to import after three rounds"
}

# plan_is_empty_now: the plan after the recovery apply changes nothing, at
# once (no faults in these runs, so no second try).
plan_is_empty_now() {
	local rc=0
	run plan -detailed-exitcode || rc=$?
	[ "$rc" -eq 0 ]
}

# kill_run WHAT: an apply whose WHAT (cli or provider) gets SIGKILL, then
# the recovery. Prints the counts.
kill_run() {
	local what=$1 apply_pid provider_pid made rc before imports after_apply after_destroy
	# The previous run's emulator; the last one is stopped on exit.
	if [ -n "${EMULATOR_PID:-}" ]; then kill "$EMULATOR_PID" 2>/dev/null || true; wait "$EMULATOR_PID" 2>/dev/null || true; fi
	# Codes take a while to be set, so many creates are in flight (made in
	# Seam, not yet in state) when the kill comes.
	start_emulator --seed demo --set-delay "${KILL_SET_DELAY:-3s}" --rate-limit off --latency "${KILL_LATENCY:-200ms}"
	control devices/add_panels '{"connected_account_id":"5eed0000-0000-4000-8000-0000000000a1","count":'"$panels"',"name_prefix":"Kill"}' >/dev/null
	rm -f terraform.tfstate terraform.tfstate.backup imports.tf
	: >run.log
	"$cli" apply -auto-approve -parallelism=10 -input=false -no-color >>run.log 2>&1 &
	apply_pid=$!
	for _ in $(seq $((after * 5))); do
		made=$(calls_to /access_codes/create)
		[ "$made" -ge $((codes / 2)) ] && break
		kill -0 "$apply_pid" 2>/dev/null || break
		sleep 0.2
	done
	provider_pid=$(pgrep -P "$apply_pid" -f terraform-provider-butterflymx | head -n 1 || true)
	[ -n "$provider_pid" ] || fail "$what: no provider process under the apply (it ended before the kill?)"
	if [ "$what" = cli ]; then
		kill -KILL "$apply_pid"
	else
		kill -KILL "$provider_pid"
	fi
	rc=0
	wait "$apply_pid" || rc=$?
	[ "$rc" -ne 0 ] || fail "$what: the killed apply reported success"
	# A provider whose CLI was killed has nobody to answer; it ends when its
	# connection does. Stop it if it has not within 10s.
	for _ in $(seq 50); do kill -0 "$provider_pid" 2>/dev/null || break; sleep 0.2; done
	kill -KILL "$provider_pid" 2>/dev/null || true
	made=$(calls_to /access_codes/create)
	before=$(counts "$codes")

	# The plan names the codes to import; then one apply.
	imports=$(follow_guidance)
	run apply -auto-approve -parallelism=10 || { tail -n 40 run.log >&2; fail "$what: the apply after the kill did not converge in one run"; }
	after_apply=$(counts "$codes")
	rm -f imports.tf
	plan_is_empty_now || { tail -n 30 run.log >&2; fail "$what: the plan after the recovery apply is not empty"; }
	run destroy -auto-approve -parallelism=10 || { tail -n 30 run.log >&2; fail "$what: destroy failed"; }
	after_destroy=$(counts 0)

	read -r o d _ p <<<"$before"
	echo "faults_kill: SIGKILL of the $what after $made creates: $o codes in Seam but in no state, $d duplicates, $p codes on the panels; the plan named $imports to import"
	read -r o d m p <<<"$after_apply"
	echo "faults_kill: after one apply: $o orphans, $d duplicates, $m missing, $p codes for $codes configured"
	[ "$o" -eq 0 ] && [ "$d" -eq 0 ] && [ "$m" -eq 0 ] && [ "$p" -eq "$codes" ] || fail "$what: the recovery did not converge"
	read -r _ _ _ p <<<"$after_destroy"
	echo "faults_kill: destroy left $p PINs on the panels"
	[ "$p" -eq 0 ] || fail "$what: destroy left $p PINs"
}

if [ -n "$what" ]; then
	kill_run "$what"
else
	kill_run cli
	kill_run provider
fi
