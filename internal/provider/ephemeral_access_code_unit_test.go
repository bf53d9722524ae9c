package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// pinLaterSeam answers /access_codes/get with a code whose PIN Seam has not
// assigned yet (code null, is_waiting_for_code_assignment) for the first
// `without` reads, then with the PIN. The emulator always assigns a PIN at
// once; Seam's spec allows a code without one.
func pinLaterSeam(t *testing.T, without int32) (*seam.Client, *atomic.Int32) {
	t.Helper()
	var reads atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code, waiting := `null`, true
		if reads.Add(1) > without {
			code, waiting = `"418263"`, false
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"ok": true, "access_code": {"access_code_id": "3f6a0c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",
			"device_id": "d", "type": "ongoing", "status": "setting", "code": %s, "is_managed": true,
			"is_waiting_for_code_assignment": %v, "created_at": "2026-01-02T03:04:05Z", "errors": [], "warnings": []}}`, code, waiting)
	}))
	t.Cleanup(srv.Close)
	c, err := seam.New(seam.Config{Endpoint: srv.URL, APIKey: "seam_test", MaxRetries: 0, RequestTimeout: 5 * time.Second, RateLimitWindow: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c, &reads
}

func TestEphemeralPIN_waitsForAssignment(t *testing.T) {
	t.Parallel()
	c, reads := pinLaterSeam(t, 2)
	ac, err := waitForPIN(context.Background(), c, "3f6a0c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b")
	if err != nil || ac.Code == nil || *ac.Code != "418263" || reads.Load() != 3 {
		t.Fatalf("got %+v, %v after %d reads; want the PIN on the third read", ac, err, reads.Load())
	}
}

func TestEphemeralPIN_givesUpWithAClearError(t *testing.T) {
	t.Parallel()
	c, _ := pinLaterSeam(t, 1000)
	ctx, cancel := context.WithTimeout(context.Background(), 600*time.Millisecond)
	defer cancel()
	_, err := waitForPIN(ctx, c, "3f6a0c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b")
	if !errors.Is(err, errNoPINYet) {
		t.Fatalf("err = %v, want errNoPINYet", err)
	}
	summary, detail := pinReadProblem("3f6a0c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b", err)
	if summary != "Access code has no PIN yet" || !strings.Contains(detail, "access_code_id") {
		t.Errorf("diagnostic %q: %q", summary, detail)
	}
}
