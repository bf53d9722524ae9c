//go:build tools

// Package goreleaser pins GoReleaser, which builds the release artifacts the
// Terraform Registry expects (`make release-snapshot`, `goreleaser check` in
// `make lint`). It has a module of its own because its dependency graph would
// otherwise move the versions OpenTofu, tfplugindocs and golangci-lint are
// built with in tools/go.mod.
package goreleaser

import (
	_ "github.com/goreleaser/goreleaser/v2"
)
