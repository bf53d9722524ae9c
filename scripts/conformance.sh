#!/usr/bin/env bash
# Conformance tests: runs the Go Seam client (internal/seam), then the
# provider binary through a CLI (scripts/conformance-cli.sh), against Seam's
# own fake server, npm @seamapi/fake-seam-connect (pinned in conformance/), so
# our wire format is checked against code Seam wrote. Called by `make test`
# (target test-conformance). Needs node and npm (Node 20 in CI); the npm
# install goes through whatever registry npm is configured with.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/conformance"
ready_timeout=${CONFORMANCE_READY_TIMEOUT:-30}

for tool in node npm go; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "conformance: '$tool' is not on PATH; the conformance tests need node and npm (Node >= 18, CI uses 20) and go." >&2
		# Optional on a developer's machine, like Terraform; CI must run them.
		[ "${CI:-}" = true ] && exit 1
		echo "conformance: skipped" >&2
		exit 0
	fi
done

# Install when node_modules is missing, or older than the lock file or the
# manifest (npm ci rewrites node_modules/.package-lock.json, so its mtime
# marks the last install).
marker="$dir/node_modules/.package-lock.json"
if [[ ! -f "$marker" || "$dir/package-lock.json" -nt "$marker" || "$dir/package.json" -nt "$marker" ]]; then
	echo "conformance: npm ci in conformance/" >&2
	(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/seam-conformance.XXXXXX")

# The emulator's spec shape test (internal/emulator/openapi_test.go) reads
# reply schemas extracted from the pinned @seamapi/types: they must match it.
(cd "$dir" && node openapi-responses.mjs "$work/openapi.json" >/dev/null)
if ! cmp -s "$work/openapi.json" "$root/internal/emulator/testdata/seam-openapi-responses.json"; then
	echo "conformance: internal/emulator/testdata/seam-openapi-responses.json does not match the pinned @seamapi/types:" >&2
	echo "conformance: run 'cd conformance && node openapi-responses.mjs' and commit the result." >&2
	rm -rf "$work"
	exit 1
fi
# The event types a webhook may subscribe to (internal/seam/event_types_gen.go)
# come from the same pinned spec.
(cd "$dir" && node event-types.mjs "$work/event_types_gen.go" >/dev/null)
if ! cmp -s "$work/event_types_gen.go" "$root/internal/seam/event_types_gen.go"; then
	echo "conformance: internal/seam/event_types_gen.go does not match the pinned @seamapi/types:" >&2
	echo "conformance: run 'cd conformance && node event-types.mjs' and commit the result." >&2
	rm -rf "$work"
	exit 1
fi
# The emulator's webhook deliveries, checked by Seam's own verifier
# (@seamapi/webhook) in a receiver it runs (conformance/webhook-receiver.mjs).
(cd "$root" && SEAM_WEBHOOK_CONFORMANCE=1 go test -count=1 -run '^TestConformanceWebhook' ./internal/emulator/)

out="$work/stdout"
log="$work/server.log"
server_pid=""
test_pid=""

cleanup() {
	local rc=$?
	if [[ -n "$test_pid" ]] && kill -0 "$test_pid" 2>/dev/null; then
		kill -TERM "$test_pid" 2>/dev/null || true
	fi
	if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
		kill -TERM "$server_pid" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$server_pid" 2>/dev/null || true
	fi
	if [[ $rc -ne 0 && -s "$log" ]]; then
		echo "conformance: fake server log:" >&2
		tail -n 50 "$log" >&2
	fi
	rm -rf "$work"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The server also exits when its stdin closes; the coprocess keeps a pipe to
# it open for as long as this script runs, so it cannot outlive the script
# even if the trap never runs (kill -9).
coproc FAKE { cd "$dir" && NODE_ENV=production exec node server.mjs >"$out" 2>"$log"; }
server_pid=$FAKE_PID

ready=""
deadline=$((SECONDS + ready_timeout))
while [[ -z "$ready" ]]; do
	if ! kill -0 "$server_pid" 2>/dev/null; then
		echo "conformance: the fake server exited before it was ready" >&2
		exit 1
	fi
	if ((SECONDS >= deadline)); then
		echo "conformance: no ready line from the fake server within ${ready_timeout}s" >&2
		exit 1
	fi
	ready=$(grep -m1 '^{"endpoint"' "$out" 2>/dev/null || true)
	[[ -n "$ready" ]] || sleep 0.1
done

# Parse the ready line with node, which is known to be here.
eval "$(READY="$ready" node -e '
	const r = JSON.parse(process.env.READY)
	const q = (s) => "\x27" + String(s).replace(/\x27/g, "\x27\\\x27\x27") + "\x27"
	const vars = {
		SEAM_CONFORMANCE_ENDPOINT: r.endpoint,
		SEAM_CONFORMANCE_API_KEY: r.api_key,
		SEAM_CONFORMANCE_WORKSPACE_ID: r.workspace_id,
		SEAM_CONFORMANCE_CONNECTED_ACCOUNT_ID: r.connected_account_id,
		SEAM_CONFORMANCE_DEVICE_IDS: r.device_ids.join(","),
		SEAM_CONFORMANCE_OTHER_CONNECTED_ACCOUNT_ID: r.other_connected_account_id ?? "",
		SEAM_CONFORMANCE_OTHER_DEVICE_IDS: (r.other_device_ids ?? []).join(","),
		SEAM_CONFORMANCE_UNMANAGED_ACCESS_CODE_ID: r.unmanaged_access_code_id ?? "",
	}
	for (const [k, v] of Object.entries(vars)) console.log(`export ${k}=${q(v)}`)
')"
echo "conformance: fake-seam-connect ready at $SEAM_CONFORMANCE_ENDPOINT" >&2

# In the background and waited for, so a TERM or INT to this script runs the
# trap at once instead of after the tests.
cd "$root"
go test -count=1 -run '^TestConformance' ./internal/seam/ -v &
test_pid=$!
wait "$test_pid"

# Then the provider binary through a CLI, on the same fake.
"$root/scripts/conformance-cli.sh" &
test_pid=$!
wait "$test_pid"
