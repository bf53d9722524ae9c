#!/usr/bin/env bash
# The whole fault suite (make test-faults): the runs of faults.sh,
# faults-shared.sh and faults_kill.sh at the same time, each with its own
# emulator and work directory. They mostly wait (replies held past the request
# timeout, set delays, latency), so one after another they took 13 minutes of
# wall time for about 2 CPU-minutes. Each run's output is printed when all
# have ended, in this order; any failure fails the suite.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

runs=("faults.sh one-apply" "faults.sh interrupt" "faults-shared.sh" "faults_kill.sh cli" "faults_kill.sh provider")
pids=()
for i in "${!runs[@]}"; do
	read -r script arg <<<"${runs[$i]}"
	"$root/scripts/$script" ${arg:+"$arg"} >"$logs/$i" 2>&1 &
	pids+=($!)
done

failed=0
for i in "${!runs[@]}"; do
	rc=0
	wait "${pids[$i]}" || rc=$?
	cat "$logs/$i"
	if [ "$rc" -ne 0 ]; then
		echo "FAIL: scripts/${runs[$i]} (exit $rc)" >&2
		failed=1
	fi
done
exit "$failed"
