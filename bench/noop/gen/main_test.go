package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGeneratedSchemaIsCurrent fails when the provider's access code schema
// changed and bench/noop's copy was not regenerated.
func TestGeneratedSchemaIsCurrent(t *testing.T) {
	want, err := generate(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join("..", output))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("bench/noop/%s is stale: run `go generate ./bench/noop`", output)
	}
}
