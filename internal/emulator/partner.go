package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"time"
)

// Partner routes (design.md): the workspace credential vault, and
// connected_accounts/create.
var credentialKind = kind{
	name: "workspace_credential",
	routes: map[string]route{
		"/workspaces/credentials/upsert": {methods: postPut, handle: (*Emulator).credentialsUpsert},
		"/workspaces/credentials/get":    {methods: read, handle: (*Emulator).credentialsGet},
		"/workspaces/credentials/list":   {methods: read, handle: (*Emulator).credentialsList},
		"/workspaces/credentials/delete": {methods: remove, handle: (*Emulator).credentialsDelete},
		"/connected_accounts/create":     {methods: post, handle: (*Emulator).connectedAccountsCreate},
	},
	load: loadCredentials,
	save: func(s *store, doc *stateDoc) { doc.Credentials = sorted(s.credentials, nil) },
}

// The record.

// credential is a secret in a workspace's vault (partner.go). Only a hash of
// the value is kept: nothing ever returns it, and state files stay clean.
type credential struct {
	WorkspaceID string    `json:"workspace_id"`
	Name        string    `json:"name"`
	ValueSHA256 string    `json:"value_sha256"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	seq         int64
}

func (r *credential) order() orderKey { return orderKey{r.CreatedAt, r.seq} }

// Partner routes (design.md "Partner routes"): the contract the provider
// speaks for what Seam's public API does not document, namely loading the
// ButterflyMX partner token into a workspace's vault and handing Seam a
// ButterflyMX OAuth token to connect an account.

type credentialViewT struct {
	Name        string `json:"name"`
	WorkspaceID string `json:"workspace_id"`
	CreatedAt   string `json:"created_at"`
	UpdatedAt   string `json:"updated_at"`
}

// credentialView never includes the value: it is write-only.
func credentialView(cr *credential) credentialViewT {
	return credentialViewT{cr.Name, cr.WorkspaceID, ts(cr.CreatedAt), ts(cr.UpdatedAt)}
}

// Credential names look like environment variables, e.g. BUTTERFLY_API_TOKEN.
var credentialName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,127}$`)

func readCredentialName(p *params) string {
	name := p.requiredString("name")
	if name != "" && !credentialName.MatchString(name) {
		p.fail("name", "name must be letters, digits and underscores, like BUTTERFLY_API_TOKEN")
	}
	return name
}

func (e *Emulator) credentialsUpsert(c *call) (reply, error) {
	name := readCredentialName(c.p)
	value := c.p.requiredString("value")
	if err := c.p.err(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(value))
	key := c.ws.WorkspaceID + "/" + name
	cr := e.credentials[key]
	if cr == nil {
		cr = &credential{WorkspaceID: c.ws.WorkspaceID, Name: name, CreatedAt: c.now, seq: e.nextSeq()}
		e.credentials[key] = cr
	}
	cr.ValueSHA256, cr.UpdatedAt = hex.EncodeToString(sum[:]), c.now
	return reply{"workspace_credential": cr}, nil
}

func (e *Emulator) credential(c *call) (*credential, error) {
	name := readCredentialName(c.p)
	if err := c.p.err(); err != nil {
		return nil, err
	}
	if cr := e.credentials[c.ws.WorkspaceID+"/"+name]; cr != nil {
		return cr, nil
	}
	return nil, notFound("workspace_credential")
}

func (e *Emulator) credentialsGet(c *call) (reply, error) {
	cr, err := e.credential(c)
	if err != nil {
		return nil, err
	}
	return reply{"workspace_credential": cr}, nil
}

func (e *Emulator) credentialsDelete(c *call) (reply, error) {
	cr, err := e.credential(c)
	if err != nil {
		return nil, err
	}
	delete(e.credentials, cr.WorkspaceID+"/"+cr.Name)
	return reply{}, nil
}

func (e *Emulator) credentialsList(c *call) (reply, error) {
	return reply{"workspace_credentials": sorted(e.credentials, func(cr *credential) bool {
		return cr.WorkspaceID == c.ws.WorkspaceID
	})}, nil
}

// connectedAccountsCreate connects a ButterflyMX account from an OAuth
// token: {provider: "butterflymx", oauth_token: {access_token, ...},
// custom_metadata, automatically_manage_new_devices}. Any non-empty access
// token is accepted; the emulator does not call ButterflyMX.
func (e *Emulator) connectedAccountsCreate(c *call) (reply, error) {
	p := c.p
	provider := p.requiredString("provider")
	token, hasToken := p.object("oauth_token")
	meta, _ := p.metadata("custom_metadata")
	auto, hasAuto := p.boolean("automatically_manage_new_devices")
	caps, _ := readCapabilities(p)
	customerKey, _ := p.string("customer_key")
	if err := p.err(); err != nil {
		return nil, err
	}
	if provider != "butterflymx" {
		return nil, invalidInput("provider", "provider must be butterflymx: it is the only provider that connects from an OAuth token")
	}
	if !hasToken {
		return nil, invalidInput("oauth_token", "oauth_token is required")
	}
	tp := &params{values: token}
	if access, _ := tp.string("access_token"); access == "" || tp.first != nil {
		return nil, invalidInput("oauth_token.access_token", "oauth_token.access_token is required")
	}
	a := e.connectButterflyMX(c.ws, accountLogin{meta: meta, autoManage: !hasAuto || auto, caps: caps, customerKey: customerKey}, c.now)
	return reply{"connected_account": a}, nil
}

func loadCredentials(l *loader, doc *stateDoc) error {
	s := l.s
	for _, cr := range doc.Credentials {
		if err := l.inWorkspace(&cr.WorkspaceID, "workspace credential "+cr.Name); err != nil {
			return err
		}
		l.stamp(&cr.CreatedAt)
		l.stamp(&cr.UpdatedAt)
		cr.seq = s.nextSeq()
		s.credentials[cr.WorkspaceID+"/"+cr.Name] = cr
	}
	return nil
}
