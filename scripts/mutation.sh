#!/usr/bin/env bash
# Mutation testing with gremlins (pinned in tools/): it plants small bugs in a
# package (a negated or shifted condition, a changed operator...) one at a
# time and runs that package's tests against each. A mutant the tests do not
# fail "lived": either a test is missing or the mutant is equivalent.
# MUTATION.md accounts for every one that lives.
#
# Slow (minutes per package on 2 cores), so it is not part of `make test`.
# Usage: scripts/mutation.sh [PACKAGE_DIR...]   (default: the three below)
# MUTATION_WORKERS sets how many mutants run at once (default 1).
# Acceptance tests need TF_ACC and are skipped, so internal/provider is
# measured on its unit-testable code.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
gremlins="$root/bin/gremlins"
out="$root/bin/mutation"
workers=${MUTATION_WORKERS:-1}
[ -x "$gremlins" ] || { echo "mutation: $gremlins is missing: run 'make tools'" >&2; exit 1; }
[ $# -gt 0 ] || set -- internal/seam internal/emulator internal/provider
mkdir -p "$out"
unset TF_ACC

cd "$root"
for pkg in "$@"; do
	name=${pkg//\//-}
	echo "mutation: $pkg (report: bin/mutation/$name.log)"
	start=$SECONDS
	"$gremlins" unleash --workers "$workers" --test-cpu 1 --timeout-coefficient 10 \
		-o "$out/$name.json" "./$pkg" >"$out/$name.log" 2>&1
	grep -E '^ +(LIVED|TIMED OUT)' "$out/$name.log" || true
	grep -E '^(Killed|Mutator coverage|Test efficacy)' "$out/$name.log" | sed 's/^/  /' || true
	echo "  $((SECONDS - start)) s"
done
