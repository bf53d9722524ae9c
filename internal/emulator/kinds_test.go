package emulator

import (
	"strings"
	"testing"
)

// Two kinds claiming one path would silently shadow a handler; the table
// refuses it when the package loads.
func TestRouteTableRejectsDuplicatePath(t *testing.T) {
	a := kind{name: "a", routes: map[string]route{"/x/get": {methods: read}}}
	b := kind{name: "b", routes: map[string]route{"/x/get": {methods: read}}}
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(r.(string), "/x/get registered twice (kind b)") {
			t.Fatalf("want a panic naming the path and the second kind, got %v", r)
		}
	}()
	routeTable([]kind{a, b})
}

// The served table is exactly the registered kinds' routes.
func TestRouteTableHoldsEveryKindsRoutes(t *testing.T) {
	n := 0
	for _, k := range kinds {
		for path := range k.routes {
			n++
			if _, ok := apiRoutes[path]; !ok {
				t.Errorf("%s: route %s not served", k.name, path)
			}
		}
	}
	if n != len(apiRoutes) {
		t.Errorf("kinds register %d routes, the table serves %d", n, len(apiRoutes))
	}
}
