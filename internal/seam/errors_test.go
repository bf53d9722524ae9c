package seam

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestAPIErrorDecoding(t *testing.T) {
	f := newFake(t)
	f.on("/access_codes/create", func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		w.Header().Set("seam-request-id", "req-123")
		writeJSON(w, http.StatusConflict, map[string]any{"ok": false, "error": map[string]any{
			"type": "duplicate_access_code", "message": "Code already exists",
			"data": map[string]any{"device_id": "d1"}, "request_id": "req-body",
		}})
	})
	_, _, err := f.client().CreateAccessCode(context.Background(), AccessCodeCreate{DeviceID: "d1"})
	var e *APIError
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want *APIError", err)
	}
	want := APIError{StatusCode: 409, Type: "duplicate_access_code", Message: "Code already exists", RequestID: "req-123", Route: "/access_codes/create"}
	if e.StatusCode != want.StatusCode || e.Type != want.Type || e.Message != want.Message || e.RequestID != want.RequestID || e.Route != want.Route {
		t.Errorf("got %+v, want %+v", *e, want)
	}
	if e.Data["device_id"] != "d1" {
		t.Errorf("Data = %v", e.Data)
	}
	if got, want := err.Error(), "seam: /access_codes/create: duplicate_access_code (409): Code already exists [request req-123]"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !IsDuplicateAccessCode(err) || IsNotFound(err) || IsInvalidInput(err) {
		t.Error("wrong classification")
	}
	if f.count("/access_codes/create") != 1 {
		t.Errorf("a 409 create was retried")
	}
}

func TestRequestIDFromBody(t *testing.T) {
	f := newFake(t)
	f.on("/devices/get", func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		writeJSON(w, http.StatusBadRequest, map[string]any{"ok": false, "error": map[string]any{
			"type": "invalid_input", "message": "bad", "request_id": "req-body",
			"validation_errors": map[string]any{"device_id": map[string]any{"_errors": []string{"Required"}}},
		}})
	})
	_, err := f.client().GetDevice(context.Background(), "")
	var e *APIError
	if !errors.As(err, &e) || e.RequestID != "req-body" {
		t.Fatalf("err = %#v", err)
	}
	if !IsInvalidInput(err) || !strings.Contains(string(e.ValidationErrors), "Required") {
		t.Errorf("validation errors = %s", e.ValidationErrors)
	}
	if f.count("/devices/get") != 1 {
		t.Error("a 400 was retried")
	}
}

func TestNotFoundAndRouteMissing(t *testing.T) {
	f := newFake(t)
	f.on("/devices/get", func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		seamError(w, 404, "device_not_found", "Device not found")
	})
	f.on("/access_codes/get", func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		seamError(w, 404, "not_found", "Not found")
	})
	// /connect_webviews/delete is not served: the fake answers a plain 404.
	c := f.client()
	ctx := context.Background()

	_, err := c.GetDevice(ctx, "d1")
	if !IsNotFound(err) || IsRouteMissing(err) {
		t.Errorf("device_not_found: IsNotFound=%v IsRouteMissing=%v", IsNotFound(err), IsRouteMissing(err))
	}
	_, err = c.GetAccessCode(ctx, "ac1")
	if !IsNotFound(err) {
		t.Errorf("not_found: IsNotFound false for %v", err)
	}
	err = c.DeleteConnectWebview(ctx, "cw1")
	if !IsRouteMissing(err) || IsNotFound(err) {
		t.Errorf("plain 404: IsRouteMissing=%v IsNotFound=%v", IsRouteMissing(err), IsNotFound(err))
	}
	var e *APIError
	if errors.As(err, &e); e.Type != "" || e.StatusCode != 404 {
		t.Errorf("plain 404 decoded as %+v", e)
	}
	if got, want := err.Error(), "seam: /connect_webviews/delete: HTTP 404 Not Found: 404 page not found"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestStatusHelpers(t *testing.T) {
	mk := func(status int, typ string) error {
		return fmt.Errorf("wrapped: %w", &APIError{StatusCode: status, Type: typ, Route: "/x"})
	}
	cases := []struct {
		name string
		fn   func(error) bool
		yes  error
		no   error
	}{
		{"IsNotFound", IsNotFound, mk(404, "connected_account_not_found"), mk(404, "")},
		{"IsRouteMissing", IsRouteMissing, mk(404, ""), mk(404, "device_not_found")},
		{"IsRateLimited", IsRateLimited, mk(429, ""), mk(503, "")},
		{"IsUnauthorized", IsUnauthorized, mk(401, "unauthorized"), mk(403, "")},
		{"IsInvalidInput", IsInvalidInput, mk(400, "invalid_input"), mk(400, "not_supported")},
		{"IsDuplicateAccessCode", IsDuplicateAccessCode, mk(409, "duplicate_access_code"), mk(409, "conflict")},
	}
	for _, tc := range cases {
		if !tc.fn(tc.yes) {
			t.Errorf("%s(%v) = false", tc.name, tc.yes)
		}
		if tc.fn(tc.no) || tc.fn(nil) || tc.fn(errors.New("plain")) {
			t.Errorf("%s is true for %v, nil or a plain error", tc.name, tc.no)
		}
	}
}

func TestUnauthorized(t *testing.T) {
	f := newFake(t)
	f.on("/workspaces/get", func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		seamError(w, 401, "unauthorized", "API Key not found")
	})
	_, err := f.client().GetWorkspace(context.Background())
	if !IsUnauthorized(err) {
		t.Fatalf("err = %v", err)
	}
	if f.count("/workspaces/get") != 1 {
		t.Error("a 401 was retried")
	}
}

func TestActionAttemptErrorStrings(t *testing.T) {
	failed := &ActionAttemptFailedError{Attempt: ActionAttempt{
		ActionAttemptID: "aa1", ActionType: "UNLOCK_DOOR", Status: "error",
		Error: &ActionAttemptError{Type: "device_offline", Message: "Device is offline"},
	}}
	if got, want := failed.Error(), "seam: action attempt aa1 (UNLOCK_DOOR) failed: device_offline: Device is offline"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	bare := &ActionAttemptFailedError{Attempt: ActionAttempt{ActionAttemptID: "aa2", ActionType: "X"}}
	if !strings.Contains(bare.Error(), "unknown_error") {
		t.Errorf("got %q", bare.Error())
	}
	timeout := &ActionAttemptTimeoutError{Attempt: ActionAttempt{ActionAttemptID: "aa3", ActionType: "CREATE_ACCESS_CODE"}}
	if !strings.Contains(timeout.Error(), "aa3 (CREATE_ACCESS_CODE) still pending") || !errors.Is(timeout, context.DeadlineExceeded) {
		t.Errorf("timeout error = %q", timeout.Error())
	}
}
