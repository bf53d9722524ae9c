package seam

import "context"

// Webhook is where Seam sends a workspace's events. Secret signs each
// delivery (Svix scheme); Seam returns it on every read.
type Webhook struct {
	WebhookID  string   `json:"webhook_id"`
	URL        string   `json:"url"`
	EventTypes []string `json:"event_types"`
	Secret     string   `json:"secret,omitempty"`
}

// CreateWebhook registers url for eventTypes; none means every event
// ("*" on Seam's side).
func (c *Client) CreateWebhook(ctx context.Context, url string, eventTypes []string) (*Webhook, error) {
	p := params{"url": url}
	p.list("event_types", eventTypes)
	return c.webhookCall(ctx, "/webhooks/create", p)
}

// GetWebhook returns one webhook.
func (c *Client) GetWebhook(ctx context.Context, id string) (*Webhook, error) {
	return c.webhookCall(ctx, "/webhooks/get", params{"webhook_id": id})
}

// ListWebhooks returns the workspace's webhooks. Seam does not page them.
func (c *Client) ListWebhooks(ctx context.Context) ([]Webhook, error) {
	var out struct {
		Webhooks []Webhook `json:"webhooks"`
	}
	if err := c.do(ctx, "/webhooks/list", params{}, &out); err != nil {
		return nil, err
	}
	return out.Webhooks, nil
}

// UpdateWebhook replaces a webhook's event types, the only field Seam lets
// a caller change (a new URL is a new webhook).
func (c *Client) UpdateWebhook(ctx context.Context, id string, eventTypes []string) error {
	p := params{"webhook_id": id}
	p.list("event_types", eventTypes)
	return c.do(ctx, "/webhooks/update", p, nil)
}

// DeleteWebhook deletes a webhook; Seam stops delivering to it.
func (c *Client) DeleteWebhook(ctx context.Context, id string) error {
	return c.do(ctx, "/webhooks/delete", params{"webhook_id": id}, nil)
}

func (c *Client) webhookCall(ctx context.Context, route string, p params) (*Webhook, error) {
	var out struct {
		Webhook *Webhook `json:"webhook"`
	}
	if err := c.do(ctx, route, p, &out); err != nil {
		return nil, err
	}
	return required(out.Webhook, route, "webhook")
}
