package emulator

import (
	"strings"
	"time"
)

var workspaceKind = kind{
	name: "workspace",
	routes: map[string]route{
		"/workspaces/get":  {methods: read, handle: (*Emulator).workspacesGet},
		"/workspaces/list": {methods: read, handle: (*Emulator).workspacesList, patWithoutWorkspace: true},
	},
	load: loadWorkspaces,
	save: func(s *store, doc *stateDoc) { doc.Workspaces = sorted(s.workspaces, nil) },
}

// The record.

type workspace struct {
	WorkspaceID string    `json:"workspace_id"`
	Name        string    `json:"name"`
	CompanyName string    `json:"company_name,omitempty"`
	APIKeys     []string  `json:"api_keys"`
	CreatedAt   time.Time `json:"created_at"`
	seq         int64
}

func (r *workspace) order() orderKey { return orderKey{r.CreatedAt, r.seq} }

// workspaces/get and workspaces/list.

type workspaceViewT struct {
	WorkspaceID                 string            `json:"workspace_id"`
	OrganizationID              string            `json:"organization_id"`
	Name                        string            `json:"name"`
	CompanyName                 string            `json:"company_name"`
	IsSandbox                   bool              `json:"is_sandbox"`
	IsSuspended                 bool              `json:"is_suspended"`
	IsPublishableKeyAuthEnabled bool              `json:"is_publishable_key_auth_enabled"`
	ConnectPartnerName          *string           `json:"connect_partner_name"`
	ConnectWebviewCustomization map[string]string `json:"connect_webview_customization"`
}

func workspaceView(ws *workspace) workspaceViewT {
	return workspaceViewT{
		WorkspaceID:                 ws.WorkspaceID,
		OrganizationID:              OrganizationID,
		Name:                        ws.Name,
		CompanyName:                 ws.CompanyName,
		IsSandbox:                   true, // the emulator is a sandbox by nature
		ConnectWebviewCustomization: map[string]string{},
	}
}

func (e *Emulator) workspacesGet(c *call) (reply, error) {
	return reply{"workspace": c.ws}, nil
}

func (e *Emulator) workspacesList(c *call) (reply, error) {
	if c.ws != nil {
		return reply{"workspaces": []*workspace{c.ws}}, nil
	}
	return reply{"workspaces": sorted(e.workspaces, nil)}, nil
}

// loadWorkspaces comes first: every other record belongs to a workspace,
// by default the first.
func loadWorkspaces(l *loader, doc *stateDoc) error {
	s := l.s
	for _, ws := range doc.Workspaces {
		if ws.WorkspaceID == "" {
			ws.WorkspaceID = newID()
		}
		l.stamp(&ws.CreatedAt)
		for _, key := range ws.APIKeys {
			if !strings.HasPrefix(key, "seam_") || strings.HasPrefix(key, "seam_at") || s.apiKeys[key] != "" {
				return seedError("API key %q must start with seam_ (not seam_at) and be unique", key)
			}
			s.apiKeys[key] = ws.WorkspaceID
		}
		ws.seq = s.nextSeq()
		s.workspaces[ws.WorkspaceID] = ws
	}
	l.firstWS = doc.Workspaces[0].WorkspaceID
	return nil
}
