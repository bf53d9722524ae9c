package seam

import (
	"context"
	"encoding/json"
	"iter"
	"time"
)

// ConnectedAccountFilter narrows ListConnectedAccounts. Zero fields are not
// sent; Limit is the page size (0 = Seam's default).
type ConnectedAccountFilter struct {
	CustomMetadataHas Metadata
	CustomerKey       string
	Search            string
	Limit             int
}

// GetConnectedAccount returns one connected account.
func (c *Client) GetConnectedAccount(ctx context.Context, id string) (*ConnectedAccount, error) {
	var out struct {
		ConnectedAccount *ConnectedAccount `json:"connected_account"`
	}
	if err := c.do(ctx, "/connected_accounts/get", params{"connected_account_id": id}, &out); err != nil {
		return nil, err
	}
	return required(out.ConnectedAccount, "/connected_accounts/get", "connected_account")
}

// ListConnectedAccounts yields every connected account matching f.
func (c *Client) ListConnectedAccounts(ctx context.Context, f ConnectedAccountFilter) iter.Seq2[ConnectedAccount, error] {
	p := params{}
	p.customMetadataHas(f.CustomMetadataHas)
	p.str("customer_key", f.CustomerKey)
	p.str("search", f.Search)
	p.limit(f.Limit)
	return paginate[ConnectedAccount](ctx, c, "/connected_accounts/list", "connected_accounts", p)
}

// ConnectedAccountUpdate changes a connected account. Nil fields are left
// as they are; CustomMetadata, when non-nil, replaces the whole object.
type ConnectedAccountUpdate struct {
	ConnectedAccountID            string
	CustomMetadata                Metadata
	AutomaticallyManageNewDevices *bool
	CustomerKey                   *string
}

// UpdateConnectedAccount applies u and returns the account as it now is.
func (c *Client) UpdateConnectedAccount(ctx context.Context, u ConnectedAccountUpdate) (*ConnectedAccount, error) {
	p := params{"connected_account_id": u.ConnectedAccountID}
	p.customMetadata(u.CustomMetadata)
	p.boolPtr("automatically_manage_new_devices", u.AutomaticallyManageNewDevices)
	p.strPtr("customer_key", u.CustomerKey)
	var out struct {
		ConnectedAccount *ConnectedAccount `json:"connected_account"`
	}
	if err := c.do(ctx, "/connected_accounts/update", p, &out); err != nil {
		return nil, err
	}
	if out.ConnectedAccount == nil {
		// The spec promises the account back, but not every server sends it.
		return c.GetConnectedAccount(ctx, u.ConnectedAccountID)
	}
	return out.ConnectedAccount, nil
}

// DeleteConnectedAccount disconnects the account. Seam also deletes its
// records of the account's devices, access codes and events, but does not
// remove the codes from the devices: those PINs keep working, unmanaged.
func (c *Client) DeleteConnectedAccount(ctx context.Context, id string) error {
	return c.do(ctx, "/connected_accounts/delete", params{"connected_account_id": id}, nil)
}

// EventCompletedFirstSync is the event Seam records when a newly connected
// account's devices exist.
const EventCompletedFirstSync = "connected_account.completed_first_sync"

// CompletedFirstSync reports whether Seam has recorded the account's first
// sync (connected_account.completed_first_sync) since the given time: until
// then, its devices may not exist yet.
func (c *Client) CompletedFirstSync(ctx context.Context, id string, since time.Time) (bool, error) {
	p := params{"connected_account_id": id, "event_type": EventCompletedFirstSync, "limit": 1}
	p.timePtr("since", &since)
	var out struct {
		Events []json.RawMessage `json:"events"`
	}
	if err := c.do(ctx, "/events/list", p, &out); err != nil {
		return false, err
	}
	return len(out.Events) > 0, nil
}
