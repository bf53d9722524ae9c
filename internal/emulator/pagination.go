package emulator

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"slices"
)

// Default page sizes per list (SEAM_FACTS.md §1).
const (
	devicesPageSize        = 500
	webviewsPageSize       = 500
	accountsPageSize       = 11000
	accessCodesPageSize    = 55000
	unmanagedCodesPageSize = 300000
)

// page is a list request's limit and position. A cursor is opaque to
// clients: base64 of the hash of the list's filters plus the sort key of the
// last item returned. Reusing it with other filters is an error
// (mismatched_page_parameters), as on Seam; changing limit is allowed.
type page struct {
	limit int
	after *orderKey
	hash  string
}

type cursor struct {
	Hash  string   `json:"h"`
	After orderKey `json:"a"`
}

type paginationView struct {
	HasNextPage    bool    `json:"has_next_page"`
	NextPageCursor *string `json:"next_page_cursor"`
	NextPageURL    *string `json:"next_page_url"`
}

// readPage reads limit and page_cursor. filters is the list's normalised
// filter set (a struct, so GET and POST forms of one query hash the same).
func (c *call) readPage(filters any, defaultLimit int) (page, error) {
	b, _ := json.Marshal(filters)
	sum := sha256.Sum256(b)
	pg := page{limit: defaultLimit, hash: hex.EncodeToString(sum[:12])}
	if n, ok := c.p.integer("limit"); ok {
		if n < 1 {
			c.p.fail("limit", "limit must be a positive integer")
		}
		pg.limit = n
	}
	raw, hasCursor := c.p.string("page_cursor")
	if err := c.p.err(); err != nil {
		return page{}, err
	}
	if !hasCursor || raw == "" {
		return pg, nil
	}
	var cur cursor
	decoded, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil || json.Unmarshal(decoded, &cur) != nil || cur.Hash == "" {
		return page{}, invalidInput("page_cursor", "page_cursor is not a cursor this list returned")
	}
	if cur.Hash != pg.hash {
		return page{}, &apiError{Status: 400, Type: "mismatched_page_parameters",
			Message: "page_cursor was returned for a list with other parameters; send the same parameters with it"}
	}
	pg.after = &cur.After
	return pg, nil
}

// paginate cuts one page out of items, which are in list order.
func paginate[T ordered](c *call, items []T, pg page) ([]T, paginationView) {
	start := 0
	if pg.after != nil {
		start = len(items)
		for i, it := range items {
			if it.order().compare(*pg.after) > 0 {
				start = i
				break
			}
		}
	}
	end := min(start+pg.limit, len(items))
	out := items[start:end]
	if end == len(items) {
		return out, paginationView{}
	}
	b, _ := json.Marshal(cursor{Hash: pg.hash, After: items[end-1].order()})
	next := base64.RawURLEncoding.EncodeToString(b)

	// next_page_url repeats the request as a GET with the new cursor.
	q := encodeQuery(c.p.values)
	q.Set("page_cursor", next)
	url := c.baseURL + c.path + "?" + q.Encode()
	return slices.Clip(out), paginationView{HasNextPage: true, NextPageCursor: &next, NextPageURL: &url}
}
