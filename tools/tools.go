//go:build tools

// Package tools pins the command-line tools the project builds from the Go
// module proxy: OpenTofu (the CLI for acceptance tests), tfplugindocs and
// golangci-lint. Their dependencies stay out of the provider's go.mod.
package tools

import (
	_ "github.com/golangci/golangci-lint/v2/cmd/golangci-lint"
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
	_ "github.com/opentofu/opentofu/cmd/tofu"
)
