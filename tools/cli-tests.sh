#!/usr/bin/env bash
# cli-tests.sh DIR: prints a -test.run pattern of the acceptance tests in DIR
# whose outcome the CLI, not the provider, can change: those that import
# (ImportState steps, import blocks, identities), use write-only arguments or
# ephemeral resources (OpenTofu and Terraform implement these separately, on
# top of the same protocol), or run a resource's whole lifecycle. `make test`
# runs these on OpenTofu as well as on Terraform 1.14; `make test-ci` runs
# every test on every CLI. It reads the tests' source, so a new test that
# imports or uses a write-only argument is picked up without a list to keep.
set -euo pipefail
dir=${1:?usage: cli-tests.sh DIR}
names=$(awk '
	/^func TestAcc[A-Za-z0-9_]*\(/ { name = $2; sub(/\(.*/, "", name); body = ""; next }
	name != "" && /^}/ {
		if (name ~ /[Ii]mport|[Ii]dentity|[Ww]rite[Oo]nly|_wo([A-Z_]|$)|[Ee]phemeral|_lifecycle/ ||
		    body ~ /ImportState|import \{|[Ii]dentity|code_wo|WriteOnly|store_code|store_secret|ephemeral "|[Ee]phemeralResource/)
			print name
		name = ""; next
	}
	name != "" { body = body "\n" $0 }
' "$dir"/*_test.go | sort -u | paste -sd'|')
[ -n "$names" ] || { echo "cli-tests: no test in $dir matches; the patterns are out of date" >&2; exit 1; }
echo "^($names)\$"
