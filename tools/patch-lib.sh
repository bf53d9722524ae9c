# Checked edits on a copied Go module, sourced by build-opentofu.sh and
# build-terraform.sh. The caller sets `script` and `product` (for messages).
# Every edit is checked before any is made: when a new release moves a line,
# the build stops instead of building something else.

getter=github.com/hashicorp/go-getter
# Module paths that must be gone from a build once the cloud code is cut.
cloud_sdks='^(github\.com/aws/|cloud\.google\.com/|google\.golang\.org/api/|k8s\.io/|github\.com/Azure/azure-sdk-for-go/|github\.com/aliyun/|github\.com/tencentcloud/|github\.com/hashicorp/consul/|github\.com/openbao/|github\.com/oracle/)'

fail() {
	echo "$script: $1 in ${product}; the layout this script patches has changed" >&2
	exit 1
}

# expect_once FILE FIXED-LINE: FILE has FIXED-LINE exactly once, whole line.
expect_once() {
	local n
	n=$(grep -cxF -- "$2" "$1" || true)
	[ "$n" = 1 ] || fail "expected one line '$2' in $1, found $n"
}

# match_once FILE REGEX: prints the one line of FILE that matches REGEX.
match_once() {
	local lines
	lines=$(grep -E -- "$2" "$1" || true)
	[ -n "$lines" ] && [ "$(wc -l <<<"$lines")" = 1 ] || fail "expected one line matching '$2' in $1"
	printf '%s\n' "$lines"
}

# remove_line FILE FIXED-LINE: removes the checked line and says so.
remove_line() {
	expect_once "$1" "$2"
	grep -vxF -- "$2" "$1" >"$1.new" && mv "$1.new" "$1"
	echo "  removed from $1: $(sed 's/^[[:space:]]*//' <<<"$2")"
}

# The recipe: the calling script and this file, hashed when sourced (before
# any cd). A binary is kept only when it was built by the same recipe.
recipe=$(cat "$0" "${BASH_SOURCE[0]}" | sha256sum | cut -d' ' -f1)

# built WANT OUT: whether OUT is there, says WANT (the first line of its
# version), and was built by this recipe (OUT.recipe).
built() { [ "$(cli_version "$2")" = "$1" ] && [ "$(cat "$2.recipe" 2>/dev/null)" = "$recipe" ]; }

# stamp OUT: records the recipe OUT was built by.
stamp() { echo "$recipe" >"$1.recipe"; }

# block_at FILE FIRST LAST LINES: the line number of the one block of FILE
# that starts with the line FIRST and ends, LINES lines later, at the first
# line LAST after it; fails when there is no such block.
block_at() {
	local start end
	expect_once "$1" "$2"
	start=$(grep -nxF -- "$2" "$1" | cut -d: -f1)
	end=$(awk -v start="$start" -v last="$3" 'NR >= start && $0 == last { print NR - start + 1; exit }' "$1")
	[ "$end" = "$4" ] || fail "expected '$2' in $1 to open a block of $4 lines ending '$3'"
	echo "$start"
}

# remove_block FILE FIRST LAST LINES: removes the checked block (block_at).
remove_block() {
	local start
	start=$(block_at "$@")
	sed -i "${start},$((start + $4 - 1))d" "$1"
	echo "  removed from $1: the $4 lines from $(sed 's/^[[:space:]]*//' <<<"$2")"
}

# cli_version CLI: the first line of `CLI version`. The output is read whole:
# with pipefail, a reader that stops early (grep -q, head) can kill the CLI
# with SIGPIPE and fail a check that matched.
cli_version() { CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$1" version 2>/dev/null | sed -n 1p; }

# module_copy MODULE@VERSION NAME: copies the module from the module cache
# into a temporary directory (removed on exit) as NAME, beside a copy of
# go-getter, and changes into it.
module_copy() {
	local dir work
	dir=$(go mod download -json "$1" | jq -r .Dir)
	work=$(mktemp -d "${TMPDIR:-/tmp}/$2.XXXXXX")
	# shellcheck disable=SC2064 # the directory is known now
	trap "chmod -R u+w '$work' && rm -rf '$work'" EXIT
	cp -R "$dir/." "$work/$2"
	chmod -R u+w "$work/$2"
	cd "$work/$2"
	getter_copy ../go-getter
}

# go-getter builds its s3 and gcs getters into its one package, and with them
# the AWS and Google SDKs, even where the getter table leaves them out. So the
# module is built against a copy of go-getter without them; `s3::` and `gcs::`
# module sources then fail to download, which the tests never use.

# getter_copy DIR: copies the go-getter the module in the working directory
# requires into DIR.
getter_copy() {
	local version dir
	version=$(go mod edit -json | jq -r --arg p "$getter" '.Require[] | select(.Path == $p) | .Version')
	if [ -z "$version" ] || go mod edit -json | jq -e --arg p "$getter" '.Replace // [] | any(.Old.Path == $p)' >/dev/null; then
		fail "expected go.mod to require ${getter} without a replace"
	fi
	dir=$(go mod download -json "${getter}@${version}" | jq -r .Dir)
	cp -R "$dir/." "$1"
	chmod -R u+w "$1"
}

# getter_re KEY VALUE: the regex of one entry of a getter table.
getter_re() { echo "^[[:space:]]+\"$1\":[[:space:]]+new\($2\),\$"; }

# getter_uses DIR SYMBOL: the go-getter files outside tests that name SYMBOL
# in code (comments aside).
getter_uses() {
	local f
	for f in "$1"/*.go; do
		[[ $f == *_test.go ]] && continue
		# grep -c reads to the end: with pipefail, grep -q may stop early and
		# the first grep die of SIGPIPE, which would read as "not found".
		[ "$(grep -vE '^[[:space:]]*//' "$f" | grep -cw -- "$2")" != 0 ] && printf '%s ' "${f##*/}"
	done
	return 0
}

# getter_check TABLE DIR: TABLE (the module's getter table) and the go-getter
# copy in DIR have the s3 and gcs getters where getter_drop removes them.
getter_check() {
	local kind type
	for kind in gcs:GCSGetter s3:S3Getter; do
		type=${kind#*:} kind=${kind%%:*}
		match_once "$1" "$(getter_re "$kind" "getter\.$type")" >/dev/null
		match_once "$2/get.go" "$(getter_re "$kind" "$type")" >/dev/null
		[ "$(getter_uses "$2" "$type")" = "get.go get_$kind.go " ] ||
			fail "expected only get.go and get_$kind.go of ${getter} to use $type, found: $(getter_uses "$2" "$type")"
		[ -f "$2/get_${kind}_test.go" ] || fail "expected ${getter} to have get_${kind}_test.go"
	done
}

# getter_drop TABLE DIR: removes the s3 and gcs getters from TABLE and from the
# go-getter copy in DIR (DIR relative to the module), and builds against it.
getter_drop() {
	local kind type
	for kind in gcs:GCSGetter s3:S3Getter; do
		type=${kind#*:} kind=${kind%%:*}
		remove_line "$1" "$(match_once "$1" "$(getter_re "$kind" "getter\.$type")")"
		remove_line "$2/get.go" "$(match_once "$2/get.go" "$(getter_re "$kind" "$type")")"
		rm "$2/get_$kind.go" "$2/get_${kind}_test.go"
		echo "  removed from ${getter}: get_$kind.go and its test"
	done
	gofmt -w "$1" "$2/get.go"
	go mod edit -replace="${getter}=$2"
	echo "  go.mod: ${getter} replaced by that copy"
}

# expect_left_out PACKAGE REGEX: the cuts took, no package of PACKAGE's build
# matches REGEX (cloud_sdks, and whatever else the caller cut).
expect_left_out() {
	local left
	left=$(GOFLAGS=-buildvcs=false go list -deps "$1" | grep -E "$2" || true)
	[ -z "$left" ] || fail "packages that were cut are still in the build: $(head -3 <<<"$left" | tr '\n' ' ')"
}
