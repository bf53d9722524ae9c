package provider

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
)

// The shared code's per-panel writes (a new PIN, a panel dropped, destroy)
// name only the code; they must still count against the panel's write
// limits and drop what was read of the panel's codes.

// distinctPINs is n five-digit PINs that every demo panel accepts and
// whose first four digits differ, skipping the first skip such PINs.
func distinctPINs(skip, n int) []string {
	var out []string
	seen := map[string]bool{}
	for v := 11111; len(out) < n && v < 100000; v++ {
		pin := strconv.Itoa(v)
		if strings.ContainsAny(pin, "0789") || strings.HasPrefix(pin, "12") || seen[pin[:4]] || !plainPIN(pin) {
			continue
		}
		seen[pin[:4]] = true
		if skip > 0 {
			skip--
			continue
		}
		out = append(out, pin)
	}
	return out
}

// plainPIN: at least three different digits and no run of three going up
// or down by one.
func plainPIN(pin string) bool {
	digits := map[byte]bool{}
	for i := range len(pin) {
		digits[pin[i]] = true
		if i >= 2 && pin[i]-pin[i-1] == pin[i-1]-pin[i-2] && (pin[i]-pin[i-1] == 1 || pin[i-1]-pin[i] == 1) {
			return false
		}
	}
	return len(digits) >= 3
}

// sharedCodes is n shared codes on the panels, the i-th with pins[i].
func sharedCodes(srv *emulator.Server, panels []string, pins []string) string {
	quoted := make([]string, len(pins))
	for i, p := range pins {
		quoted[i] = strconv.Quote(p)
	}
	return providerBlock(srv) + fmt.Sprintf(`
locals {
  pins = [%s]
}

resource "butterflymx_shared_access_code" "many" {
  count      = length(local.pins)
  device_ids = [%q, %q]
  name       = "Guest ${count.index + 1}"
  code       = local.pins[count.index]
}
`, strings.Join(quoted, ", "), panels[0], panels[1])
}

// TestAccSharedAccessCode_writesPaced changes the PIN of 21 shared codes on
// two panels and destroys them, against Seam's per-panel limits (the
// emulator's minute is 6 s and the provider paces to that window): 21
// updates and 21 deletions per panel are more than Seam takes per minute
// (10 and 20), and Seam refuses none, because the provider waits its turn.
func TestAccSharedAccessCode_writesPaced(t *testing.T) {
	srv := startEmulator(t, func(o *emulator.Options) { o.RateLimit, o.TimeScale = true, 10 })
	panels := []string{emulator.DemoMapleCourtGarageID, emulator.DemoHarborViewMainEntranceID}
	const n = 21
	paced := func(route string, want int) func(*terraform.State) error {
		return func(*terraform.State) error {
			st := srv.Emulator.Stats()
			if st.RateLimited != 0 || st.Calls[route] != want {
				return fmt.Errorf("expected %d calls of %s and no 429, got %d refused: %v", want, route, st.RateLimited, st.Calls)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactoriesWith(func(p *butterflymxProvider) { p.rateLimitWindow = 6 * time.Second }),
		CheckDestroy:             paced("/access_codes/delete", n*len(panels)),
		Steps: []resource.TestStep{
			{Config: sharedCodes(srv, panels, distinctPINs(0, n))},
			{
				Config: sharedCodes(srv, panels, distinctPINs(n, n)),
				Check:  paced("/access_codes/update", n*len(panels)),
			},
		},
	})
}

// cacheProbe is a shared code on the panels between two reads of the
// garage's codes made in the same apply: before (forced into the apply by
// terraform_data.step) and after the shared code's write.
func cacheProbe(srv *emulator.Server, step int, panels []string, pin string) string {
	quoted := make([]string, len(panels))
	for i, p := range panels {
		quoted[i] = strconv.Quote(p)
	}
	return providerBlock(srv) + fmt.Sprintf(`
resource "terraform_data" "step" {
  input = %d
}

data "butterflymx_access_codes" "before" {
  device_id  = %q
  depends_on = [terraform_data.step]
}

resource "butterflymx_shared_access_code" "test" {
  device_ids = [%s]
  name       = "Dog walker"
  code       = %q
  depends_on = [data.butterflymx_access_codes.before]
}

data "butterflymx_access_codes" "after" {
  device_id       = %q
  common_code_key = butterflymx_shared_access_code.test.common_code_key
  depends_on      = [butterflymx_shared_access_code.test]
}
`, step, emulator.DemoMapleCourtGarageID, strings.Join(quoted, ", "), pin, emulator.DemoMapleCourtGarageID)
}

// TestAccSharedAccessCode_writesDropCachedList: a new PIN, then dropping
// the garage from device_ids, each read back in the same apply through
// the garage's list of codes, which was read just before the write. The
// list read after the write is Seam's new one, not the one read before.
func TestAccSharedAccessCode_writesDropCachedList(t *testing.T) {
	srv := startEmulator(t)
	garage, entrance := emulator.DemoMapleCourtGarageID, emulator.DemoHarborViewMainEntranceID
	both := []string{garage, entrance}
	const after = "data.butterflymx_access_codes.after"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cacheProbe(srv, 1, both, "58213"),
				Check:  resource.TestCheckResourceAttr(after, "access_codes.0.code", "58213"),
			},
			{
				Config: cacheProbe(srv, 2, both, "60794"),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("data.butterflymx_access_codes.before", "access_codes.0.code", "58213"),
					resource.TestCheckResourceAttr(after, "access_codes.0.code", "60794"),
				),
			},
			{
				Config: cacheProbe(srv, 3, []string{entrance}, "60794"),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("data.butterflymx_access_codes.before", "access_codes.#", "1"),
					resource.TestCheckResourceAttr(after, "access_codes.#", "0"),
				),
			},
		},
	})
}
