package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestCursorPagination(t *testing.T) {
	e, c := demo(t, Options{})
	ids, err := e.AddPanels(DemoHarborViewAccountID, 4, "Harbor View Unit")
	if err != nil || len(ids) != 4 {
		t.Fatalf("AddPanels: %v %v", ids, err)
	}
	filter := map[string]any{"connected_account_id": DemoHarborViewAccountID, "limit": 3}

	var names []string
	var pages []int
	body := filter
	for {
		out := c.ok("/devices/list", body)
		got := list(out, "devices")
		pages = append(pages, len(got))
		for _, d := range got {
			names = append(names, str(d, "display_name"))
		}
		if dig(out, "pagination", "has_next_page") != true {
			if dig(out, "pagination", "next_page_cursor") != nil {
				t.Fatalf("last page has a cursor: %v", out["pagination"])
			}
			break
		}
		body = map[string]any{"connected_account_id": DemoHarborViewAccountID, "limit": 3,
			"page_cursor": str(out, "pagination", "next_page_cursor")}
	}
	want := []string{"Harbor View Main Entrance", "Harbor View Side Gate", "Harbor View Pool Gate",
		"Harbor View Unit 1", "Harbor View Unit 2", "Harbor View Unit 3", "Harbor View Unit 4"}
	if strings.Join(names, ",") != strings.Join(want, ",") || len(pages) != 3 || pages[2] != 1 {
		t.Fatalf("pages %v of %v, want 3,3,1 of %v", pages, names, want)
	}

	// next_page_url repeats the request as a GET.
	first := c.ok("/devices/list", filter)
	next := str(first, "pagination", "next_page_url")
	u, err := url.Parse(next)
	if err != nil || u.Path != "/devices/list" || u.Query().Get("connected_account_id") != DemoHarborViewAccountID {
		t.Fatalf("next_page_url %q", next)
	}
	_, second := c.do(http.MethodGet, u.RequestURI(), nil)
	if got := list(second, "devices"); len(got) != 3 || got[0]["display_name"] != "Harbor View Unit 1" {
		t.Fatalf("following next_page_url: %v", second)
	}

	// The cursor belongs to its filters.
	cursor := str(first, "pagination", "next_page_cursor")
	c.fail("/devices/list", map[string]any{"connected_account_id": DemoMapleCourtAccountID, "page_cursor": cursor},
		400, "mismatched_page_parameters")
	c.fail("/devices/list", map[string]any{"page_cursor": cursor}, 400, "mismatched_page_parameters")
	c.fail("/devices/list", map[string]any{"page_cursor": "garbage!"}, 400, "invalid_input")
	c.fail("/devices/list", map[string]any{"limit": 0}, 400, "invalid_input")
	// A different page size with the same filters is fine.
	if got := list(c.ok("/devices/list", map[string]any{"connected_account_id": DemoHarborViewAccountID, "limit": 10, "page_cursor": cursor}), "devices"); len(got) != 4 {
		t.Fatalf("same filters, bigger limit: %d devices, want 4", len(got))
	}
}

func TestAccessCodeListPaginates(t *testing.T) {
	_, c := demo(t, Options{})
	for _, pin := range []string{"2468", "3579", "4680", "5791", "6802"} {
		c.ok("/access_codes/create", map[string]any{"device_id": DemoMapleCourtGarageID, "code": pin})
	}
	out := c.ok("/access_codes/list", map[string]any{"device_id": DemoMapleCourtGarageID, "limit": 2})
	seen := map[string]bool{}
	for page := 1; ; page++ {
		for _, ac := range list(out, "access_codes") {
			seen[str(ac, "code")] = true
		}
		if dig(out, "pagination", "has_next_page") != true {
			break
		}
		out = c.ok("/access_codes/list", map[string]any{"device_id": DemoMapleCourtGarageID, "limit": 2,
			"page_cursor": str(out, "pagination", "next_page_cursor")})
	}
	if len(seen) != 5 {
		t.Fatalf("saw %d codes over the pages, want 5", len(seen))
	}
}
