#!/usr/bin/env bash
# Builds the project's tools into $1 (bin/) from the Go module proxy, skipping
# each one that is already there at the pinned version. Names after BIN_DIR
# build only those tools (`install.sh bin tofu` for the demo); none means all.
set -euo pipefail
bin=${1:?usage: install.sh BIN_DIR [TOOL...]}
shift
only=" $* "
cd "$(dirname "$0")"
mkdir -p "$bin"

# wanted TOOL: whether this run builds TOOL.
wanted() { [ "$only" = "  " ] || [[ $only == *" $1 "* ]]; }

docs_version=$(go list -m -f '{{.Version}}' github.com/hashicorp/terraform-plugin-docs)
lint_version=$(go list -m -f '{{.Version}}' github.com/golangci/golangci-lint/v2)

# OpenTofu, at the version go.mod pins, built from its own module without the
# cloud state backends and SDKs, which halves its cold build (see the script).
if wanted tofu; then
	./build-opentofu.sh "$bin"
fi
# Terraform 1.14, the first with actions and `terraform query`, for the
# acceptance matrix; it needs patching to build (see the script).
if wanted terraform; then
	./build-terraform.sh "$bin"
fi
if wanted tfplugindocs && { [ "$(cat "$bin/.tfplugindocs-version" 2>/dev/null)" != "$docs_version" ] || [ ! -x "$bin/tfplugindocs" ]; }; then
	echo "building tfplugindocs ${docs_version}"
	go build -o "$bin/tfplugindocs" github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs
	echo "$docs_version" > "$bin/.tfplugindocs-version"
fi
if wanted golangci-lint && { [ "$(cat "$bin/.golangci-lint-version" 2>/dev/null)" != "$lint_version" ] || [ ! -x "$bin/golangci-lint" ]; }; then
	echo "building golangci-lint ${lint_version}"
	go build -o "$bin/golangci-lint" github.com/golangci/golangci-lint/v2/cmd/golangci-lint
	echo "$lint_version" > "$bin/.golangci-lint-version"
fi
# gremlins (`make mutation`) also has a module of its own (tools/gremlins).
if wanted gremlins; then
	gremlins_version=$(cd gremlins && go list -m -f '{{.Version}}' github.com/go-gremlins/gremlins)
	if [ "$(cat "$bin/.gremlins-version" 2>/dev/null)" != "$gremlins_version" ] || [ ! -x "$bin/gremlins" ]; then
		echo "building gremlins ${gremlins_version}"
		(cd gremlins && go build -o "$bin/gremlins" github.com/go-gremlins/gremlins/cmd/gremlins)
		echo "$gremlins_version" > "$bin/.gremlins-version"
	fi
fi

# GoReleaser has a module of its own (tools/goreleaser/go.mod): its dependency
# graph would otherwise move the versions the tools above are built with.
if wanted goreleaser; then
	release_version=$(cd goreleaser && go list -m -f '{{.Version}}' github.com/goreleaser/goreleaser/v2)
	if [ "$(cat "$bin/.goreleaser-version" 2>/dev/null)" != "$release_version" ] || [ ! -x "$bin/goreleaser" ]; then
		echo "building goreleaser ${release_version} (a few minutes the first time)"
		(cd goreleaser && go build -o "$bin/goreleaser" github.com/goreleaser/goreleaser/v2)
		echo "$release_version" > "$bin/.goreleaser-version"
	fi
fi
