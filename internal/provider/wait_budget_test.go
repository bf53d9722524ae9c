package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// A destroy that gave up 45 s into a 5 m timeout says 45 s, not 5m0s, and
// does not advise wait_for_set, which destroy ignores.
func TestDeleteTimeoutGivesElapsedTimeNoWaitForSet(t *testing.T) {
	r := &accessCodeResource{data: &providerData{}}
	last := &seam.AccessCode{AccessCodeID: "ac1", Status: "removing", IsManaged: true}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute-45*time.Second)
	defer cancel()
	err := waitTimedOut(ctx, last, nil)

	var diags diag.Diagnostics
	r.reportSettleError(context.Background(), &diags, "delete", nil, last, err, 5*time.Minute)
	detail := diags[0].Detail()
	if !strings.Contains(detail, "after 45s (timeouts.delete is 5m0s") || strings.Contains(detail, "after 5m0s") {
		t.Errorf("elapsed time: %s", detail)
	}
	if strings.Contains(detail, "wait_for_set") {
		t.Errorf("destroy advises wait_for_set: %s", detail)
	}

	// A create that ran its whole timeout says so, and keeps the advice.
	full := &codeWaitTimeoutError{last: last, deadline: time.Now()}
	diags = nil
	r.reportSettleError(context.Background(), &diags, "create", nil, last, full, 10*time.Minute)
	detail = diags[0].Detail()
	if !strings.Contains(detail, "after 10m0s:") || !strings.Contains(detail, "wait_for_set = false") {
		t.Errorf("create: %s", detail)
	}
}
