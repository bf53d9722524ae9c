#!/usr/bin/env bash
# start-cost.sh CLI: prints what one start of CLI (its `version`) costs in CPU
# on this machine now, the mean of 10. The acceptance runs are thousands of
# CLI starts, so their times compare across machines and days only beside it:
# on these shared virtual machines it varies by a third from day to day.
set -euo pipefail
cli=${1:?usage: start-cost.sh CLI}
[ -x "$cli" ] || exit 0
cpu=$( { TIMEFORMAT='%U %S'; time for _ in 1 2 3 4 5 6 7 8 9 10; do
	GOMAXPROCS=1 CHECKPOINT_DISABLE=1 "$cli" version >/dev/null 2>&1 || true; done; } 2>&1)
awk -v cli="${cli##*/}" '{ printf "  one `%s version` took %.0f ms of CPU on this machine now (mean of 10)\n", cli, ($1 + $2) * 100 }' <<<"$cpu"
