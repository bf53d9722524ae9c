package seam

import (
	"context"
	"fmt"
)

// GetWorkspace returns the workspace the credentials belong to; the provider
// also uses it to check that the credentials work.
func (c *Client) GetWorkspace(ctx context.Context) (*Workspace, error) {
	var out struct {
		Workspace *Workspace `json:"workspace"`
	}
	if err := c.do(ctx, read, "/workspaces/get", nil, &out); err != nil {
		return nil, err
	}
	return required(out.Workspace, "/workspaces/get", "workspace")
}

// required turns a reply that lacks its object into an error instead of a
// nil the caller would dereference.
func required[T any](v *T, route, key string) (*T, error) {
	if v == nil {
		return nil, fmt.Errorf("seam: %s: reply has no %q", route, key)
	}
	return v, nil
}
