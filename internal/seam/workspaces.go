package seam

import "context"

// GetWorkspace returns the workspace the credentials belong to; the provider
// also uses it to check that the credentials work.
func (c *Client) GetWorkspace(ctx context.Context) (*Workspace, error) {
	var out struct {
		Workspace *Workspace `json:"workspace"`
	}
	if err := c.do(ctx, "/workspaces/get", nil, &out); err != nil {
		return nil, err
	}
	return required(out.Workspace, "/workspaces/get", "workspace")
}
