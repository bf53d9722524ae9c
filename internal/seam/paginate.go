package seam

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"maps"
)

// pagination is Seam's cursor block on list replies.
type pagination struct {
	HasNextPage    bool    `json:"has_next_page"`
	NextPageCursor *string `json:"next_page_cursor"`
}

// paginate lists route page by page, yielding the items under key. It sends
// page_cursor back as Seam gave it, treats a reply without pagination as the
// last page (some servers omit it), and stops when the consumer breaks.
func paginate[T any](ctx context.Context, c *Client, route, key string, params map[string]any) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		seen := map[string]bool{}
		cursor := ""
		for {
			body := maps.Clone(params)
			if body == nil {
				body = map[string]any{}
			}
			if cursor != "" {
				body["page_cursor"] = cursor
			}
			c.capPage(body)
			var reply map[string]json.RawMessage
			if err := c.do(ctx, route, body, &reply); err != nil {
				yield(zero, err)
				return
			}
			raw, ok := reply[key]
			if !ok {
				yield(zero, fmt.Errorf("seam: %s: reply has no %q", route, key))
				return
			}
			var items []T
			if err := json.Unmarshal(raw, &items); err != nil {
				yield(zero, fmt.Errorf("seam: %s: decoding %s: %w", route, key, err))
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}

			var page pagination
			if raw, ok := reply["pagination"]; ok {
				if err := json.Unmarshal(raw, &page); err != nil {
					yield(zero, fmt.Errorf("seam: %s: decoding pagination: %w", route, err))
					return
				}
			}
			if !page.HasNextPage {
				return
			}
			switch next := deref(page.NextPageCursor); {
			case next == "":
				// Stopping here would silently drop the rest of the list.
				yield(zero, fmt.Errorf("seam: %s: reply says there is a next page but gives no cursor", route))
				return
			case seen[next]:
				yield(zero, fmt.Errorf("seam: %s: server returned page cursor %q twice; stopping to avoid a loop", route, next))
				return
			default:
				seen[next] = true
				cursor = next
			}
		}
	}
}

// capPage applies Config.MaxPageSize to a list request's limit.
func (c *Client) capPage(body map[string]any) {
	if c.maxPageSize == 0 {
		return
	}
	if n, ok := body["limit"].(int); !ok || n > c.maxPageSize {
		body["limit"] = c.maxPageSize
	}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
