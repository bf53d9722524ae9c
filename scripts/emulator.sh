# Sourced by the scripts that need a Seam emulator: start_emulator ARGS...
# starts bin/seam-emulator in the background, waits for its ready line and
# exports SEAM_ENDPOINT, SEAM_API_KEY, SEAM_WORKSPACE_ID and EMULATOR_CONTROL.
# The emulator stops when the calling script exits.

start_emulator() {
	local out
	out=$(mktemp)
	"$root/bin/seam-emulator" "$@" >"$out" &
	EMULATOR_PID=$!
	trap 'kill $EMULATOR_PID 2>/dev/null; wait $EMULATOR_PID 2>/dev/null; rm -f '"$out" EXIT
	for _ in $(seq 100); do
		[ -s "$out" ] && break
		sleep 0.1
	done
	local ready
	ready=$(head -n 1 "$out")
	[ -n "$ready" ] || { echo "the emulator printed no ready line" >&2; return 1; }
	field() { sed -n 's/.*"'"$1"'": *"\([^"]*\)".*/\1/p' <<<"$ready"; }
	export SEAM_ENDPOINT=$(field endpoint) SEAM_API_KEY=$(field api_key) SEAM_WORKSPACE_ID=$(field workspace_id)
	export EMULATOR_CONTROL=$(field control)
	unset SEAM_PERSONAL_ACCESS_TOKEN
}

# dev_overrides_config FILE writes a CLI configuration that makes Terraform or
# OpenTofu use the provider built into bin/.
dev_overrides_config() {
	cat >"$1" <<TFRC
provider_installation {
  dev_overrides {
    "openintercom/butterflymx" = "$root/bin"
  }
  direct {}
}
TFRC
}

