package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// A PIN changed on the panel is reported, never quoted.
func TestWarnPINDrift(t *testing.T) {
	old, changed := "482913", "739104"
	state := accessCodeResourceModel{Code: types.StringValue(old)}
	var diags diag.Diagnostics
	warnPINDrift(state, &seam.AccessCode{AccessCodeID: "ac1", DeviceID: "d1", Code: &old}, &diags)
	if len(diags) != 0 {
		t.Fatalf("same PIN: %v", diags)
	}
	warnPINDrift(state, &seam.AccessCode{AccessCodeID: "ac1", DeviceID: "d1", Code: &changed}, &diags)
	if len(diags) != 1 || diags[0].Severity() != diag.SeverityWarning || !strings.Contains(diags[0].Detail(), "ac1") {
		t.Fatalf("changed PIN: %v", diags)
	}
	if d := diags[0].Summary() + diags[0].Detail(); strings.Contains(d, old) || strings.Contains(d, changed) {
		t.Fatalf("the warning quotes a PIN: %s", d)
	}
}

// An interrupt is not reported as a timeout.
func TestSettleErrorInterruptWording(t *testing.T) {
	r := &accessCodeResource{data: &providerData{}}
	last := &seam.AccessCode{AccessCodeID: "ac1", DeviceID: "d1", Status: "setting"}
	err := &codeWaitTimeoutError{last: last}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var diags diag.Diagnostics
	r.reportSettleError(ctx, &diags, "update", nil, last, err, 10*time.Minute)
	if !strings.Contains(diags[0].Summary(), "Interrupted") || strings.Contains(diags[0].Detail(), "10m0s") {
		t.Errorf("interrupted: %s: %s", diags[0].Summary(), diags[0].Detail())
	}
}
