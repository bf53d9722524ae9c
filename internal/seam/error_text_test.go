package seam

import (
	"net/http"
	"strings"
	"testing"
)

// How error replies read: the code a problem reports, and a plain-text
// error page cut short.

func TestProblemCode(t *testing.T) {
	for _, tc := range []struct {
		p    Problem
		want string
	}{
		{Problem{ErrorCode: "failed_to_set_on_device"}, "failed_to_set_on_device"},
		{Problem{WarningCode: "delay_in_setting_on_device"}, "delay_in_setting_on_device"},
		{Problem{ErrorCode: "e", WarningCode: "w"}, "e"},
		{Problem{}, ""},
	} {
		if got := tc.p.Code(); got != tc.want {
			t.Errorf("%+v.Code() = %q, want %q", tc.p, got, tc.want)
		}
	}
}

// A plain-text error page keeps its first line, cut at 200 characters.
func TestPlainTextErrorCutShort(t *testing.T) {
	identity := func(s string) string { return s }
	long := strings.Repeat("x", 250)
	e := decodeAPIError("/r", 502, http.Header{}, []byte(long+"\nsecond line"), identity)
	if e.Message != strings.Repeat("x", 200)+"…" {
		t.Errorf("message %q (%d bytes)", e.Message, len(e.Message))
	}
	exact := strings.Repeat("y", 200)
	if e := decodeAPIError("/r", 502, http.Header{}, []byte(exact), identity); e.Message != exact {
		t.Errorf("a 200-character line was changed: %q", e.Message)
	}
}
