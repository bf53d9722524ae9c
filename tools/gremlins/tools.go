//go:build tools

// Package gremlins pins gremlins, the mutation tester behind `make mutation`.
// It has a module of its own, like GoReleaser, so its dependency graph cannot
// move the versions OpenTofu, tfplugindocs and golangci-lint are built with in
// tools/go.mod.
package gremlins

import (
	_ "github.com/go-gremlins/gremlins/cmd/gremlins"
)
