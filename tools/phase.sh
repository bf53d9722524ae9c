#!/usr/bin/env bash
# phase.sh LOG NAME CMD...: runs CMD as one phase of a test run and appends
# "NAME WALL USER SYS STATUS" (seconds; CPU of CMD and everything it waited
# for) to LOG. phase.sh LOG: prints LOG as a table, with the totals.
set -uo pipefail
log=${1:?usage: phase.sh LOG [NAME CMD...]}
if [ $# -eq 1 ]; then
	[ -s "$log" ] || exit 0
	echo "== phases (wall / CPU = user + system, in seconds; load average $(cut -d' ' -f1-3 /proc/loadavg))"
	awk '{ printf "  %-22s %8.1f %8.1f  %s\n", $1, $2, $3 + $4, ($5 == 0 ? "ok" : "FAILED (" $5 ")");
	       w += $2; c += $3 + $4 }
	     END { printf "  %-22s %8.1f %8.1f\n", "sum of the phases", w, c }' "$log"
	exit 0
fi
name=$2
shift 2
times=$(mktemp)
TIMEFORMAT='%R %U %S'
# The command keeps this script's stdout and stderr; only time's own report
# goes to the file.
{ time "$@" >&4 2>&3; } 4>&1 3>&2 2>"$times"
status=$?
echo "$name $(tail -n 1 "$times") $status" >>"$log"
rm -f "$times"
exit "$status"
