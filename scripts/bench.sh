#!/usr/bin/env bash
# `make bench`: scenarios S1-S5 of the performance issue, each beside its
# floor on the same CLI in the same run, against bin/seam-emulator. Prints
# one JSON line per scenario and writes bench/RESULTS.md. Numbers only:
# nothing here fails on speed (shared, noisy machines); it fails only when a
# run itself fails.
#
#   S1  apply, plan, destroy of BENCH_CODES (500) codes on 20 panels, no
#       latency and no rate limits (pacing off), beside two floors on bench/noop (a provider whose
#       resources do no work): noop_access_code, with exactly the schema of
#       butterflymx_access_code (target: at most 1.2 times its CPU time,
#       CLI and providers; wall time beside it), and noop_thing, with 4
#       attributes
#   S2  plan of the S1 state with 100 ms latency on every call
#   S3  apply of 100 new codes on 2 panels under Seam's rate limits
#       (--rate-limit seam, clock BENCH_TIME_SCALE x), beside the time the
#       limits allow
#   S4  peak RSS of the provider during S1 with 1,000 codes (BENCH_BIG_CODES),
#       beside the same-schema floor's peak RSS and both providers' CPU time
#   S5  butterflymx_intercoms over 5,000 panels with 100 ms latency
#
# BENCH_CLI picks the CLI (default bin/tofu, else terraform on PATH);
# BENCH_SCENARIOS="S1 S5" runs only those scenarios;
# BENCH_PROFILE=1 keeps CPU profiles, and heap profiles taken near the peak,
# of every provider process in
# bin/bench/profiles (go tool pprof -top bin/bench/terraform-provider-butterflymx FILE...).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/emulator.sh"

cli=${BENCH_CLI:-}
if [ -z "$cli" ]; then
	if [ -x "$root/bin/tofu" ]; then cli=$root/bin/tofu; else cli=$(command -v terraform); fi
fi
codes=${BENCH_CODES:-500}
big=${BENCH_BIG_CODES:-1000}
scale=${BENCH_TIME_SCALE:-10}
work="$root/bin/bench"
rm -rf "$work" && mkdir -p "$work/plugins" "$work/profiles"

# Plugins: the floor provider, and the real one behind a wrapper that
# records the peak RSS (KB) and the CPU time (user, system seconds) of every
# provider process: CPU time compares runs on a busy machine where wall time
# does not. The real one is built with the profiling hook (-tags profile),
# which the release build leaves out.
# The floor is wrapped alike, into $BENCH_FLOOR_RSS_FILE: S4 prints its peak
# RSS beside the provider's. BENCH_GCTRACE=1 runs both with GODEBUG=gctrace=1
# and keeps each process's stderr (the collector's trace) in
# bin/bench/profiles/gctrace.NAME.PID.
(cd "$root" && go build -o "$work/terraform-provider-noop" ./bench/noop)
(cd "$root" && go build -tags profile -o "$work/terraform-provider-butterflymx" .)
wrap() { # wrap NAME RSS_VARIABLE
	local trace=""
	[ "${BENCH_GCTRACE:-0}" != 1 ] || trace="export GODEBUG=gctrace=1; exec 2>>\"$work/profiles/gctrace.$1.\$\$\""
	printf '#!/bin/sh\n%s\nexec /usr/bin/time -f "%%M %%U %%S" -a -o "$%s" "%s" "$@"\n' \
		"$trace" "$2" "$work/terraform-provider-$1" >"$work/plugins/terraform-provider-$1"
	chmod +x "$work/plugins/terraform-provider-$1"
}
wrap noop BENCH_FLOOR_RSS_FILE
wrap butterflymx BENCH_RSS_FILE
cat >"$work/cli.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "openintercom/butterflymx" = "$work/plugins"
    "openintercom/noop"        = "$work/plugins"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
export BENCH_RSS_FILE="$work/rss.txt" BENCH_FLOOR_RSS_FILE="$work/floor-rss.txt"
# S1, S2, S4 and S5 run on an emulator without Seam's rate limits, to measure
# what the provider costs; S3 measures the pacing.
export BUTTERFLYMX_RATE_LIMIT_WINDOW=off
if [ "${BENCH_PROFILE:-0}" = 1 ]; then
	export BUTTERFLYMX_CPU_PROFILE="$work/profiles/cpu" BUTTERFLYMX_HEAP_PROFILE="$work/profiles/heap"
fi

# seed FILE PANELS writes an emulator seed: one workspace (the default
# credentials), one ButterflyMX account, PANELS panels that hold codes.
seed() {
	local file=$1 n=$2 i sep=""
	{
		printf '{"workspaces":[{"workspace_id":"5eed0000-0000-4000-8000-000000000001","name":"Bench","api_keys":["seam_test_butterflymx_emulator"]}],\n'
		printf '"connected_accounts":[{"connected_account_id":"be0c0000-0000-4000-8000-0000000000a1","display_name":"Portfolio","account_type":"butterflymx"}],\n"devices":['
		for ((i = 0; i < n; i++)); do
			printf '%s{"device_id":"be0c0000-0000-4000-8000-%012d","connected_account_id":"be0c0000-0000-4000-8000-0000000000a1","name":"Panel %d"}' "$sep" "$i" "$i"
			sep=$',\n'
		done
		printf ']}\n'
	} >"$file"
}

stop_emulator() {
	kill "$EMULATOR_PID" 2>/dev/null || true
	wait "$EMULATOR_PID" 2>/dev/null || true
	trap - EXIT # start_emulator's trap would fail on the stopped emulator
}
stats() { curl -fsS "$EMULATOR_CONTROL/stats"; }
reset_stats() { curl -fsS -X POST -H 'Content-Type: application/json' -d '{}' "$EMULATOR_CONTROL/stats/reset" >/dev/null; }
calls_of() { sed -n 's|.*"'"$1"'": *\([0-9]*\).*|\1|p' <<<"$2" | sed -n 1p; }

# run NAME DIR ARGS... runs the CLI in DIR and sets $secs (wall time) and
# $cpu (user + system seconds of the CLI and the provider processes it
# started and waited for: on a shared machine the figure that compares). A
# failure stops the bench, unless allow_fail=1 (S3 counts failed resources).
run() {
	local name=$1 dir=$2
	shift 2
	local t0 t1
	t0=$(date +%s.%N)
	(cd "$dir" && /usr/bin/time -f "%U %S" -o "$work/$name.cpu" "$cli" "$@" -input=false -no-color >"$work/$name.log" 2>&1) ||
		[ "${allow_fail:-0}" = 1 ] || {
		tail -n 30 "$work/$name.log" >&2
		echo "bench: $name failed (log: $work/$name.log)" >&2
		exit 1
	}
	t1=$(date +%s.%N)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	cpu=$(awk '/^[0-9.]+ [0-9.]+$/ { printf "%.2f", $1 + $2 }' "$work/$name.cpu")
}
# peak_kb FILE: the largest RSS in a wrapper's file; cpu_of FILE: the user +
# system seconds of all its processes.
peak_kb() { sort -n "$1" | tail -n 1 | cut -d' ' -f1; }
cpu_of() { awk '{ s += $2 + $3 } END { printf "%.2f", s }' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }' && echo true || echo false; }
workdir() { rm -rf "$work/$1" && mkdir -p "$work/$1" && cp "$root/bench/$2"/*.tf "$work/$1/" && echo "$work/$1"; }

results=() rows=()
# BENCH_SCENARIOS picks scenarios (default all; S2 needs S1).
want() { [[ " ${BENCH_SCENARIOS:-S1 S2 S3 S4 S5} " == *" $1 "* ]]; }
emit() { echo "$1"; results+=("$1"); }
# row SCENARIO MEASURE MEASURED FLOOR TARGET MET: a line of RESULTS.md's table.
row() { rows+=("| $1 | $2 | $3 | $4 | $5 | $6 |"); }

cli_version=$("$cli" version | sed -n 1p)
go_version=$(go version | awk '{print $3}')
echo "== bench on $cli_version; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- S1 + S2
s1() {
	local n=$1 prefix=$2 floor same dir
	seed "$work/seed20.json" 20
	floor=$(workdir "$prefix-floor" floor)
	same=$(workdir "$prefix-same" floor-schema)
	dir=$(workdir "$prefix" access-codes)
	export TF_VAR_codes=$n
	: >"$BENCH_RSS_FILE"
	: >"$work/$prefix-floor-rss.txt"
	: >"$work/$prefix-same-rss.txt"
	# Each phase runs on the floor, then at once on the provider, so that a
	# change in the machine's load weighs on both alike.
	# --state: stopped after the plan, the emulator saves the world that S2
	# plans again, then comes back with it for the destroy.
	start_emulator --seed "$work/seed20.json" --state "$work/$prefix-world.json" --set-delay 0 --rate-limit off
	BENCH_FLOOR_RSS_FILE=$work/$prefix-floor-rss.txt run "$prefix-floor-apply" "$floor" apply -auto-approve
	f_apply=$secs f_apply_cpu=$cpu
	BENCH_FLOOR_RSS_FILE=$work/$prefix-same-rss.txt run "$prefix-same-apply" "$same" apply -auto-approve
	s_apply=$secs s_apply_cpu=$cpu
	reset_stats
	run "$prefix-apply" "$dir" apply -auto-approve
	p_apply=$secs p_apply_cpu=$cpu apply_calls=$(stats)
	BENCH_FLOOR_RSS_FILE=$work/$prefix-floor-rss.txt run "$prefix-floor-plan" "$floor" plan -detailed-exitcode
	f_plan=$secs f_plan_cpu=$cpu
	BENCH_FLOOR_RSS_FILE=$work/$prefix-same-rss.txt run "$prefix-same-plan" "$same" plan -detailed-exitcode
	s_plan=$secs s_plan_cpu=$cpu
	reset_stats
	run "$prefix-plan" "$dir" plan -detailed-exitcode
	p_plan=$secs p_plan_cpu=$cpu plan_calls=$(stats)
	stop_emulator
	cp "$work/$prefix-world.json" "$work/$prefix-planned.json"
	cp "$dir/terraform.tfstate" "$work/$prefix.tfstate"
	start_emulator --state "$work/$prefix-world.json" --set-delay 0 --rate-limit off
	BENCH_FLOOR_RSS_FILE=$work/$prefix-floor-rss.txt run "$prefix-floor-destroy" "$floor" destroy -auto-approve
	f_destroy=$secs f_destroy_cpu=$cpu
	BENCH_FLOOR_RSS_FILE=$work/$prefix-same-rss.txt run "$prefix-same-destroy" "$same" destroy -auto-approve
	s_destroy=$secs s_destroy_cpu=$cpu
	run "$prefix-destroy" "$dir" destroy -auto-approve
	p_destroy=$secs p_destroy_cpu=$cpu destroy_calls=$(stats)
	stop_emulator
	peak_kb=$(peak_kb "$BENCH_RSS_FILE") same_peak_kb=$(peak_kb "$work/$prefix-same-rss.txt")
	provider_cpu=$(cpu_of "$BENCH_RSS_FILE") same_provider_cpu=$(cpu_of "$work/$prefix-same-rss.txt")
	unset TF_VAR_codes
}

if want S1; then
s1 "$codes" s1
s1_json=$(printf '"scenario":"S1","cli":"%s","codes":%d,"panels":20' "$cli_version" "$codes")
met=true
# The target is on CPU time (CLI and providers), which a busy machine
# leaves comparable; wall time is printed beside it.
for phase in apply plan destroy; do
	p=p_$phase f=f_$phase same=s_$phase pc=p_${phase}_cpu fc=f_${phase}_cpu sc=s_${phase}_cpu
	r=$(ratio "${!p}" "${!same}") r4=$(ratio "${!p}" "${!f}")
	rc=$(ratio "${!pc}" "${!sc}") rc4=$(ratio "${!pc}" "${!fc}")
	[ "$(le "$rc" 1.2)" = true ] || met=false
	s1_json+=$(printf ',"%s_s":%s,"%s_same_schema_floor_s":%s,"%s_ratio":%s,"%s_4attr_floor_s":%s,"%s_4attr_ratio":%s' \
		"$phase" "${!p}" "$phase" "${!same}" "$phase" "$r" "$phase" "${!f}" "$phase" "$r4")
	s1_json+=$(printf ',"%s_cpu_s":%s,"%s_same_schema_floor_cpu_s":%s,"%s_cpu_ratio":%s,"%s_4attr_floor_cpu_s":%s,"%s_4attr_cpu_ratio":%s' \
		"$phase" "${!pc}" "$phase" "${!sc}" "$phase" "$rc" "$phase" "${!fc}" "$phase" "$rc4")
	row S1 "$phase, $codes codes, CPU (s)" "${!pc}" "${!sc} (same-schema no-op); ${!fc} (4-attribute no-op, ratio $rc4)" "ratio <= 1.2" "$(le "$rc" 1.2) ($rc)"
	row S1 "$phase, $codes codes, wall (s)" "${!p}" "${!same} (same-schema no-op); ${!f} (4-attribute no-op, ratio $r4)" "(ratio $r)" ""
done
emit "{$s1_json,\"target_ratio\":1.2,\"met\":$met,\"apply_calls\":$apply_calls,\"plan_calls\":$plan_calls,\"destroy_calls\":$destroy_calls}"
s1_plan=$p_plan
fi
if want S1 && want S2; then

start_emulator --seed "$work/s1-planned.json" --set-delay 0 --rate-limit off --latency 100ms
dir=$(workdir s2 access-codes)
cp "$work/s1.tfstate" "$dir/terraform.tfstate"
export TF_VAR_codes=$codes
reset_stats
run s2-plan "$dir" plan -detailed-exitcode
s2_calls=$(stats)
stop_emulator
unset TF_VAR_codes
s2_secs=$secs
s2_total=$(calls_of total "$s2_calls")
s2_per_code=$(awk -v a="$s2_total" -v b="$codes" 'BEGIN { printf "%.3f", a / b }')
s2_limit=$(awk -v a="$s1_plan" 'BEGIN { printf "%.2f", a + 1 }')
emit "$(printf '{"scenario":"S2","cli":"%s","codes":%d,"latency_ms":100,"plan_s":%s,"target_plan_s":%s,"calls_per_code":%s,"target_calls_per_code":0.1,"met":%s,"calls":%s}' \
	"$cli_version" "$codes" "$secs" "$s2_limit" "$s2_per_code" \
	"$( [ "$(le "$secs" "$s2_limit")$(le "$s2_per_code" 0.1)" = truetrue ] && echo true || echo false)" "$s2_calls")"
row S2 "plan at 100 ms latency (s)" "$s2_secs" "S1 plan $s1_plan" "<= $s2_limit" "$(le "$s2_secs" "$s2_limit")"
row S2 "API calls per code" "$s2_per_code ($s2_total calls)" "" "<= 0.1" "$(le "$s2_per_code" 0.1)"
fi

# ---------------------------------------------------------------- S3
if want S3; then
seed "$work/seed2.json" 2
start_emulator --seed "$work/seed2.json" --set-delay 0 --rate-limit seam --time-scale "$scale"
dir=$(workdir s3 access-codes)
window=$(awk -v s="$scale" 'BEGIN { printf "%.3f", 60 / s }')
export TF_VAR_codes=100 BUTTERFLYMX_RATE_LIMIT_WINDOW="${window}s"
reset_stats
allow_fail=1 run s3-apply "$dir" apply -auto-approve
s3_calls=$(stats)
failed=$(grep -c '^Error:' "$work/s3-apply.log" || true)
stop_emulator
unset TF_VAR_codes
export BUTTERFLYMX_RATE_LIMIT_WINDOW=off
# 50 creations per panel at 10 per window: the last batch may start 4
# windows after the first.
floor=$(awk -v w="$window" 'BEGIN { printf "%.2f", 4 * w }')
limited=$(calls_of rate_limited "$s3_calls")
emit "$(printf '{"scenario":"S3","cli":"%s","codes":100,"panels":2,"time_scale":%s,"window_s":%s,"apply_s":%s,"floor_s":%s,"ratio":%s,"target_ratio":1.25,"failed_resources":%d,"responses_429":%d,"met":%s,"calls":%s}' \
	"$cli_version" "$scale" "$window" "$secs" "$floor" "$(ratio "$secs" "$floor")" "$failed" "${limited:-0}" \
	"$( [ "$(le "$(ratio "$secs" "$floor")" 1.25)" = true ] && [ "$failed" = 0 ] && [ "${limited:-0}" = 0 ] && echo true || echo false)" "$s3_calls")"
row S3 "apply of 100 codes, 2 panels, rate limited (s)" "$secs" "$floor (limits, time scale $scale)" "ratio <= 1.25" "$(le "$(ratio "$secs" "$floor")" 1.25) ($(ratio "$secs" "$floor"))"
row S3 "failed resources / 429 responses" "$failed / ${limited:-0}" "" "0 / 0" "$( [ "$failed/${limited:-0}" = 0/0 ] && echo true || echo false)"
fi

# ---------------------------------------------------------------- S4
if want S4; then
s1 "$big" s4
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
peak_mb=$(mb "$peak_kb") floor_mb=$(mb "$same_peak_kb")
emit "$(printf '{"scenario":"S4","cli":"%s","codes":%d,"panels":20,"provider_peak_rss_mb":%s,"floor_peak_rss_mb":%s,"target_mb":80,"met":%s,"provider_cpu_s":%s,"floor_provider_cpu_s":%s,"apply_s":%s,"apply_floor_s":%s,"plan_s":%s,"plan_floor_s":%s,"destroy_s":%s,"destroy_floor_s":%s}' \
	"$cli_version" "$big" "$peak_mb" "$floor_mb" "$(le "$peak_mb" 80)" "$provider_cpu" "$same_provider_cpu" "$p_apply" "$s_apply" "$p_plan" "$s_plan" "$p_destroy" "$s_destroy")"
row S4 "provider peak RSS, $big codes (MB)" "$peak_mb" "floor RSS $floor_mb (same-schema no-op)" "<= 80" "$(le "$peak_mb" 80)"
row S4 "provider CPU, user + system, $big codes (s)" "$provider_cpu" "$same_provider_cpu (same-schema no-op)" "(not a target)" ""
row S4 "apply / plan / destroy, $big codes (s)" "$p_apply / $p_plan / $p_destroy" "$s_apply / $s_plan / $s_destroy (same-schema no-op)" "(not a target)" ""
fi

# ---------------------------------------------------------------- S5
if want S5; then
seed "$work/seed5000.json" 5000
start_emulator --seed "$work/seed5000.json" --rate-limit off --latency 100ms
dir=$(workdir s5 intercoms)
reset_stats
: >"$BENCH_RSS_FILE"
run s5-plan "$dir" plan
s5_cpu=$(cpu_of "$BENCH_RSS_FILE")
s5_calls=$(stats)
stop_emulator
pages=$(( (5000 + 499) / 500 ))
lists=$(calls_of /devices/list "$s5_calls")
s5_limit=5.00
emit "$(printf '{"scenario":"S5","cli":"%s","panels":5000,"latency_ms":100,"pages":%d,"list_calls":%d,"plan_s":%s,"provider_cpu_s":%s,"target_plan_s":%s,"met":%s,"calls":%s}' \
	"$cli_version" "$pages" "${lists:-0}" "$secs" "$s5_cpu" "$s5_limit" \
	"$( [ "${lists:-0}" = "$pages" ] && [ "$(le "$secs" "$s5_limit")" = true ] && echo true || echo false)" "$s5_calls")"

row S5 "list calls (pages of 500)" "${lists:-0}" "" "= $pages" "$( [ "${lists:-0}" = "$pages" ] && echo true || echo false)"
row S5 "plan, 5,000 panels, 100 ms latency (s)" "$secs" "" "<= $s5_limit" "$(le "$secs" "$s5_limit")"
row S5 "provider CPU time, user + system (s)" "$s5_cpu" "" "(not a target)" ""
fi

{
	echo "# Benchmark results"
	echo
	echo "Written by \`make bench\` (scripts/bench.sh) on $(date -u +%Y-%m-%dT%H:%MZ); scenarios: ${BENCH_SCENARIOS:-S1 S2 S3 S4 S5}."
	echo
	echo "- Machine: $(nproc) cores ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | sed -n 1p)), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM;"
	echo "  load average at the end: $(cut -d' ' -f1-3 /proc/loadavg). ${BENCH_NOTE:-}"
	echo "- CLI: $cli_version; $go_version; emulator bin/seam-emulator, set delay 0."
	echo "- Floors run on the same CLI in the same run: bench/noop (a provider whose resources do no work) for S1/S4:"
	echo "  noop_access_code has exactly butterflymx_access_code's schema (generated from it), noop_thing 4 attributes;"
	echo "  Seam's limits for S3 (50 creations per panel at 10 per window: 4 windows), 5 s for S5 (10 pages at 100 ms are 1 s of it)."
	echo "- S1's target is on CPU time (user + system of the CLI and the provider processes it ran); wall time is beside it."
	echo "  The profiles behind the changes made for speed and memory are in bench/PROFILES.md."
	echo
	echo "| scenario | measure | measured | floor | target | met |"
	echo "|---|---|---|---|---|---|"
	printf '%s\n' "${rows[@]}"
	echo
	echo "JSON lines (as printed):"
	echo
	echo '```'
	printf '%s\n' "${results[@]}"
	echo '```'
} >"$root/bench/RESULTS.md"
echo "== wrote bench/RESULTS.md"
