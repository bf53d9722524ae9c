#!/usr/bin/env bash
# `make bench`: Go benchmarks (client, emulator), then an end-to-end run of
# bench/access-codes on OpenTofu against seam-emulator, printing wall time,
# peak memory and Seam API calls per phase. Numbers only: nothing here passes
# or fails on speed, since these machines are shared and noisy.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/emulator.sh"
codes=${BENCH_CODES:-200}
cli=${BENCH_CLI:-$root/bin/tofu}

echo "== go benchmarks"
(cd "$root" && go test -run '^$' -bench . -benchmem -benchtime=${BENCH_TIME:-1s} ./internal/seam/ ./internal/emulator/ ./internal/provider/)

work="$root/bin/bench"
rm -rf "$work" && mkdir -p "$work"
cp "$root"/bench/access-codes/*.tf "$work/"
dev_overrides_config "$work/cli.tfrc"
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 TF_VAR_codes=$codes

start_emulator --seed demo --set-delay 0 --rate-limit off
cd "$work"

stats() { curl -fsS "$EMULATOR_CONTROL/stats"; echo; }
reset_stats() { curl -fsS -X POST -H 'Content-Type: application/json' -d '{}' "$EMULATOR_CONTROL/stats/reset" >/dev/null; }
phase() {
	local name=$1; shift
	reset_stats
	/usr/bin/time -f "%e %M" -o time.txt "$cli" "$@" -input=false -no-color >"$name.log" 2>&1 ||
		{ tail -n 30 "$name.log"; exit 1; }
	read -r secs kb <time.txt
	printf '%-8s %4d codes  %6.2f s  peak RSS %5d MiB  API calls: %s\n' "$name" "$codes" "$secs" $((kb / 1024)) "$(stats)"
}

echo "== end to end on $(basename "$cli"), $codes access codes, emulator with no delay and no rate limit"
phase apply apply -auto-approve -parallelism=10
phase plan plan -detailed-exitcode
phase destroy destroy -auto-approve -parallelism=10
