package provider

import (
	"testing"
	"time"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// The look for a lost create's object outlasts one request: a list whose
// first attempt times out still has room for its retries.
func TestLookupBudgetOutlastsOneRequest(t *testing.T) {
	for _, tc := range []struct {
		retries  int
		timeout  time.Duration
		want     time.Duration
		atLeastN int // request timeouts that fit
	}{
		{retries: 5, timeout: 30 * time.Second, want: 230 * time.Second, atLeastN: 6},
		{retries: 20, timeout: 30 * time.Second, want: maxLookupBudget, atLeastN: 10},
		{retries: 0, timeout: 30 * time.Second, want: minLookupBudget, atLeastN: 2},
		{retries: 4, timeout: 20 * time.Second, want: 140 * time.Second, atLeastN: 5},
		{retries: 0, timeout: 10 * time.Minute, want: 20 * time.Minute, atLeastN: 2},
	} {
		c, err := seam.New(seam.Config{APIKey: "seam_test", MaxRetries: tc.retries, RequestTimeout: tc.timeout,
			RetryWaitMax: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		got := lookupBudget(c)
		if got != tc.want {
			t.Errorf("retries %d, request_timeout %s: budget %s, want %s", tc.retries, tc.timeout, got, tc.want)
		}
		if got < time.Duration(tc.atLeastN)*tc.timeout {
			t.Errorf("retries %d, request_timeout %s: budget %s fits fewer than %d requests", tc.retries, tc.timeout, got, tc.atLeastN)
		}
	}
}
