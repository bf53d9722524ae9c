package seam

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// APIError is a non-2xx reply from Seam. Type is Seam's error.type, or empty
// when the body was not Seam's JSON error envelope (a proxy page, or a plain
// "404" for a route the server does not serve).
type APIError struct {
	StatusCode       int
	Type             string
	Message          string
	RequestID        string
	Route            string
	Data             map[string]any
	ValidationErrors json.RawMessage
}

// Error reads like
// "seam: /access_codes/create: duplicate_access_code (409): message [request req-123]".
// It is built only from the reply, after secrets were scrubbed from it.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "seam: %s: ", e.Route)
	if e.Type != "" {
		fmt.Fprintf(&b, "%s (%d)", e.Type, e.StatusCode)
	} else {
		fmt.Fprintf(&b, "HTTP %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request %s]", e.RequestID)
	}
	return b.String()
}

func asAPIError(err error) (*APIError, bool) {
	var e *APIError
	ok := errors.As(err, &e)
	return e, ok
}

// IsNotFound reports a 404 whose Seam error type says the object is gone
// ("not_found" or "<thing>_not_found"). A 404 for a missing route is not this.
func IsNotFound(err error) bool {
	e, ok := asAPIError(err)
	return ok && e.StatusCode == http.StatusNotFound &&
		(e.Type == "not_found" || strings.HasSuffix(e.Type, "_not_found"))
}

// IsRouteMissing reports a 404 without Seam's JSON error envelope: the server
// does not serve the route at all.
func IsRouteMissing(err error) bool {
	e, ok := asAPIError(err)
	return ok && e.StatusCode == http.StatusNotFound && e.Type == ""
}

// IsRateLimited reports a 429.
func IsRateLimited(err error) bool {
	e, ok := asAPIError(err)
	return ok && e.StatusCode == http.StatusTooManyRequests
}

// IsUnauthorized reports a 401.
func IsUnauthorized(err error) bool {
	e, ok := asAPIError(err)
	return ok && e.StatusCode == http.StatusUnauthorized
}

// IsInvalidInput reports Seam's invalid_input error.
func IsInvalidInput(err error) bool {
	e, ok := asAPIError(err)
	return ok && e.Type == "invalid_input"
}

// IsDuplicateAccessCode reports that the PIN is already on the device.
func IsDuplicateAccessCode(err error) bool {
	e, ok := asAPIError(err)
	return ok && e.Type == "duplicate_access_code"
}

// ActionAttemptFailedError is an action attempt that ended in status error.
type ActionAttemptFailedError struct{ Attempt ActionAttempt }

func (e *ActionAttemptFailedError) Error() string {
	typ, msg := "unknown_error", "no error details"
	if ae := e.Attempt.Error; ae != nil {
		typ, msg = cmp.Or(ae.Type, typ), cmp.Or(ae.Message, msg)
	}
	return fmt.Sprintf("seam: action attempt %s (%s) failed: %s: %s",
		e.Attempt.ActionAttemptID, e.Attempt.ActionType, typ, msg)
}

// ActionAttemptTimeoutError is an action attempt still pending when the
// caller's deadline passed. Attempt is the last state seen.
type ActionAttemptTimeoutError struct{ Attempt ActionAttempt }

func (e *ActionAttemptTimeoutError) Error() string {
	return fmt.Sprintf("seam: action attempt %s (%s) still %s when the wait timed out",
		e.Attempt.ActionAttemptID, e.Attempt.ActionType, cmp.Or(e.Attempt.Status, ActionAttemptStatusPending))
}

// Unwrap lets errors.Is(err, context.DeadlineExceeded) treat it as a timeout.
func (e *ActionAttemptTimeoutError) Unwrap() error { return context.DeadlineExceeded }

// errorEnvelope is Seam's {"error": {...}, "ok": false} reply.
type errorEnvelope struct {
	Error *struct {
		Type             string          `json:"type"`
		Message          string          `json:"message"`
		Data             map[string]any  `json:"data"`
		ValidationErrors json.RawMessage `json:"validation_errors"`
		RequestID        string          `json:"request_id"`
	} `json:"error"`
}

// decodeAPIError builds the APIError for a non-2xx reply, passing every
// server-provided string through scrub so an echoed secret never leaves.
func decodeAPIError(route string, status int, header http.Header, body []byte, scrub func(string) string) *APIError {
	e := &APIError{StatusCode: status, Route: route, RequestID: scrub(header.Get("seam-request-id"))}
	var env errorEnvelope
	if json.Unmarshal(body, &env) == nil && env.Error != nil && env.Error.Type != "" {
		e.Type = scrub(env.Error.Type)
		e.Message = scrub(env.Error.Message)
		e.Data = scrubMap(env.Error.Data, scrub)
		if len(env.Error.ValidationErrors) > 0 && string(env.Error.ValidationErrors) != "null" {
			e.ValidationErrors = json.RawMessage(scrub(string(env.Error.ValidationErrors)))
		}
		if e.RequestID == "" {
			e.RequestID = scrub(env.Error.RequestID)
		}
		return e
	}
	// Not Seam's envelope: keep a short first line of plain text as the
	// message, which is enough to tell a proxy page from a bare "Not Found".
	line, _, _ := strings.Cut(strings.TrimSpace(string(body)), "\n")
	if len(line) > 200 {
		line = line[:200] + "…"
	}
	if line != "" && line != http.StatusText(status) && line != fmt.Sprint(status) {
		e.Message = scrub(strings.TrimSpace(line))
	}
	return e
}

func scrubMap(m map[string]any, scrub func(string) string) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = scrubAny(v, scrub)
	}
	return out
}

func scrubAny(v any, scrub func(string) string) any {
	switch v := v.(type) {
	case string:
		return scrub(v)
	case map[string]any:
		return scrubMap(v, scrub)
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = scrubAny(x, scrub)
		}
		return out
	default:
		return v
	}
}
