#!/usr/bin/env bash
# run-phases.sh LOG GROUP...: runs each GROUP of make targets in turn, each
# target timed as a phase by phase.sh into LOG, and ends with the phase table,
# failed or not. The targets of a group joined by + run at the same time
# (their output is shown as each ends, in order): the fault runs and the
# conformance tests mostly wait on their emulator and servers, so they fit in
# the acceptance tests' gaps. It stops after the first group that fails.
# With SPEED_CLI set (a CLI binary), the table ends with what starting it
# costs on this machine now (tools/start-cost.sh).
set -uo pipefail
log=${1:?usage: run-phases.sh LOG GROUP...}
shift
make=${MAKE:-make}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rm -f "$log"
start=$(date +%s)
status=0
for group in "$@"; do
	IFS=+ read -ra phases <<<"$group"
	if [ "${#phases[@]}" -eq 1 ]; then
		echo "== $group"
		tools/phase.sh "$log" "$group" "$make" --no-print-directory "$group" || status=1
	else
		echo "== ${phases[*]}, at the same time (each one's output when it ends)"
		pids=()
		for p in "${phases[@]}"; do
			tools/phase.sh "$log" "$p" "$make" --no-print-directory "$p" >"$out/$p" 2>&1 &
			pids+=($!)
		done
		for i in "${!phases[@]}"; do
			wait "${pids[$i]}" || status=1
			echo "== ${phases[$i]}"
			cat "$out/${phases[$i]}"
		done
	fi
	[ "$status" -eq 0 ] || break
done
tools/phase.sh "$log"
[ -z "${SPEED_CLI:-}" ] || tools/start-cost.sh "$SPEED_CLI"
echo "  the run took $(($(date +%s) - start)) s of wall time (phases joined by + overlap)"
exit "$status"
