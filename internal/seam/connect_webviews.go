package seam

import (
	"context"
	"iter"
)

// ConnectWebviewCreate describes a login page for a human to connect an
// account. Empty fields are not sent.
type ConnectWebviewCreate struct {
	AcceptedProviders             []string
	CustomRedirectURL             string
	CustomRedirectFailureURL      string
	CustomerKey                   string
	CustomMetadata                Metadata
	AutomaticallyManageNewDevices *bool
	WaitForDeviceCreation         *bool
}

// CreateConnectWebview creates a connect webview; a human then completes
// its URL.
func (c *Client) CreateConnectWebview(ctx context.Context, in ConnectWebviewCreate) (*ConnectWebview, error) {
	p := params{}
	p.list("accepted_providers", in.AcceptedProviders)
	p.str("custom_redirect_url", in.CustomRedirectURL)
	p.str("custom_redirect_failure_url", in.CustomRedirectFailureURL)
	p.str("customer_key", in.CustomerKey)
	p.customMetadata(in.CustomMetadata)
	p.boolPtr("automatically_manage_new_devices", in.AutomaticallyManageNewDevices)
	p.boolPtr("wait_for_device_creation", in.WaitForDeviceCreation)
	var out struct {
		ConnectWebview *ConnectWebview `json:"connect_webview"`
	}
	if err := c.do(ctx, "/connect_webviews/create", p, &out); err != nil {
		return nil, err
	}
	return required(out.ConnectWebview, "/connect_webviews/create", "connect_webview")
}

// GetConnectWebview returns one connect webview.
func (c *Client) GetConnectWebview(ctx context.Context, id string) (*ConnectWebview, error) {
	var out struct {
		ConnectWebview *ConnectWebview `json:"connect_webview"`
	}
	if err := c.do(ctx, "/connect_webviews/get", params{"connect_webview_id": id}, &out); err != nil {
		return nil, err
	}
	return required(out.ConnectWebview, "/connect_webviews/get", "connect_webview")
}

// ConnectWebviewFilter narrows ListConnectWebviews; Limit is the page size.
type ConnectWebviewFilter struct {
	CustomMetadataHas Metadata
	CustomerKey       string
	Limit             int
}

// ListConnectWebviews yields every connect webview matching f.
func (c *Client) ListConnectWebviews(ctx context.Context, f ConnectWebviewFilter) iter.Seq2[ConnectWebview, error] {
	p := params{}
	p.customMetadataHas(f.CustomMetadataHas)
	p.str("customer_key", f.CustomerKey)
	p.limit(f.Limit)
	return paginate[ConnectWebview](ctx, c, "/connect_webviews/list", "connect_webviews", p)
}

// DeleteConnectWebview deletes a connect webview. The account it connected,
// if any, stays.
func (c *Client) DeleteConnectWebview(ctx context.Context, id string) error {
	return c.do(ctx, "/connect_webviews/delete", params{"connect_webview_id": id}, nil)
}
