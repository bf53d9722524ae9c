#!/usr/bin/env bash
# Runs examples/webhook-receiver as the CI kit's webhook-receiver job does
# (examples/ci/terraform.yml): seam-emulator, the webhook applied pointing at
# the receiver, the receiver started with its secret, an access code applied
# (the event), then the receiver's test (node --test), which verifies the
# signed delivery offline; then destroy. With the provider and emulator built
# into bin/ (make build) and OpenTofu (bin/tofu, or WEBHOOK_EXAMPLE_CLI).
# Needs node and npm, like the conformance tests: skipped without them,
# except in CI.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/emulator.sh"
cli=${WEBHOOK_EXAMPLE_CLI:-$root/bin/tofu}
example="$root/examples/webhook-receiver"

for tool in node npm; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "webhook-example: '$tool' is not on PATH" >&2
		[ "${CI:-}" = true ] && exit 1
		echo "webhook-example: skipped" >&2
		exit 0
	fi
done
marker="$example/node_modules/.package-lock.json"
if [[ ! -f "$marker" || "$example/package-lock.json" -nt "$marker" ]]; then
	(cd "$example" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi

work="$root/bin/webhook-example"
rm -rf "$work" && mkdir -p "$work"
cp "$example"/*.tf "$work/"
dev_overrides_config "$work/cli.tfrc"
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
start_emulator --seed demo --set-delay 0 --rate-limit off
receiver_pid=""
trap 'kill $EMULATOR_PID ${receiver_pid} 2>/dev/null; wait 2>/dev/null' EXIT

# A free loopback port for the receiver, whose URL the webhook needs first.
port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close() })')
export TF_VAR_receiver_url="http://127.0.0.1:$port/seam-events"
tf() { (cd "$work" && "$cli" "$@" -no-color >>"$work/cli.log" 2>&1) || { cat "$work/cli.log" >&2; exit 1; }; }

# With dev_overrides there is nothing to install: no init.
tf apply -auto-approve
export SEAM_WEBHOOK_SECRET
SEAM_WEBHOOK_SECRET=$(cd "$work" && "$cli" output -raw webhook_secret)
export DELIVERIES_DIR="$work/deliveries" PORT=$port
node "$example/receiver.mjs" >"$work/receiver.out" 2>"$work/receiver.log" &
receiver_pid=$!
for _ in $(seq 50); do [ -s "$work/receiver.out" ] && break; sleep 0.1; done
[ -s "$work/receiver.out" ] || { echo "webhook-example: the receiver did not start" >&2; cat "$work/receiver.log" >&2; exit 1; }

tf apply -auto-approve -var visitor_code=true
(cd "$example" && node --test) >"$work/test.log" 2>&1 || { cat "$work/test.log" "$work/receiver.log" >&2; exit 1; }
tf destroy -auto-approve -var visitor_code=true
echo "webhook-example: $(grep -E '^# (pass|fail)' "$work/test.log" | tr '\n' ' ')"
