package seam

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// attempts answers /action_attempts/get with the given statuses in turn,
// repeating the last one.
func attempts(f *fake, statuses ...string) {
	var n atomic.Int32
	f.on("/action_attempts/get", func(w http.ResponseWriter, _ *http.Request, body map[string]any) {
		i := min(int(n.Add(1))-1, len(statuses)-1)
		a := map[string]any{"action_attempt_id": body["action_attempt_id"], "action_type": "CREATE_ACCESS_CODE", "status": statuses[i]}
		if statuses[i] == ActionAttemptStatusError {
			a["error"] = map[string]any{"type": "device_offline", "message": "Device is offline"}
		}
		if statuses[i] == ActionAttemptStatusSuccess {
			a["result"] = map[string]any{}
		}
		okReply(w, "action_attempt", a)
	})
}

func TestWaitForActionAttemptSuccess(t *testing.T) {
	f := newFake(t)
	attempts(f, "pending", "pending", "success")
	a, err := f.client().WaitForActionAttempt(context.Background(), "aa1", time.Millisecond)
	if err != nil || a.Status != ActionAttemptStatusSuccess || a.ActionAttemptID != "aa1" {
		t.Fatalf("attempt = %+v, err = %v", a, err)
	}
	if got := f.count("/action_attempts/get"); got != 3 {
		t.Errorf("%d polls, want 3", got)
	}
}

func TestWaitForActionAttemptFailed(t *testing.T) {
	f := newFake(t)
	attempts(f, "pending", "error")
	_, err := f.client().WaitForActionAttempt(context.Background(), "aa1", time.Millisecond)
	var failed *ActionAttemptFailedError
	if !errors.As(err, &failed) || failed.Attempt.Error.Type != "device_offline" {
		t.Fatalf("err = %v", err)
	}
	if want := "seam: action attempt aa1 (CREATE_ACCESS_CODE) failed: device_offline: Device is offline"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
}

func TestWaitForActionAttemptTimeout(t *testing.T) {
	f := newFake(t)
	attempts(f, "pending")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := f.client().WaitForActionAttempt(ctx, "aa1", 2*time.Millisecond)
	var timeout *ActionAttemptTimeoutError
	if !errors.As(err, &timeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if timeout.Attempt.ActionAttemptID != "aa1" || timeout.Attempt.ActionType != "CREATE_ACCESS_CODE" {
		t.Errorf("last attempt seen = %+v", timeout.Attempt)
	}
}

func TestWaitForActionAttemptCancelAndErrors(t *testing.T) {
	f := newFake(t)
	attempts(f, "pending")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(10*time.Millisecond, cancel)
	_, err := f.client().WaitForActionAttempt(ctx, "aa1", 0) // 0 polls every second; cancel comes first
	var timeout *ActionAttemptTimeoutError
	if !errors.Is(err, context.Canceled) || errors.As(err, &timeout) {
		t.Errorf("cancel: err = %v", err)
	}

	f.on("/action_attempts/get", func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		seamError(w, 404, "action_attempt_not_found", "nope")
	})
	if _, err := f.client().WaitForActionAttempt(context.Background(), "aa2", time.Millisecond); !IsNotFound(err) {
		t.Errorf("404: err = %v", err)
	}

	attempts(f, "exploded")
	if _, err := f.client().WaitForActionAttempt(context.Background(), "aa3", time.Millisecond); err == nil {
		t.Error("an unknown status gave no error")
	}
}

func TestUnlockDoor(t *testing.T) {
	f := newFake(t)
	f.onOK("/locks/unlock_door", "action_attempt", map[string]any{"action_attempt_id": "aa9", "action_type": "UNLOCK_DOOR", "status": "pending"})
	a, err := f.client().UnlockDoor(context.Background(), "d1")
	if err != nil || a.ActionAttemptID != "aa9" {
		t.Fatalf("attempt = %v, err = %v", a, err)
	}
	if got := f.body("/locks/unlock_door", 0)["device_id"]; got != "d1" {
		t.Errorf("device_id = %v", got)
	}

	f.onOK("/locks/unlock_door", "", nil)
	if _, err := f.client().UnlockDoor(context.Background(), "d1"); err == nil {
		t.Error("a reply without action_attempt gave no error")
	}
}
