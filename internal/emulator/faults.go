package emulator

import (
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
)

// Faults (Options.FaultRate) make a fraction of API calls fail, to exercise
// a client's retries. The kinds, equally likely:
//
//	500 internal_server_error, before the request is processed
//	500 internal_server_error, AFTER it is processed (the change happened; the reply is lost)
//	503 service_unavailable
//	429 rate_limited, with Retry-After: 1
//	502 bad_gateway, before the request is processed (a client cannot tell)
//	connection reset: the connection is hijacked and closed with RST, no reply
//	slow reply: the request is processed, then the reply waits
//	Options.SlowReply (2 s by default), longer than a client's request
//	timeout in the fault runs: the change happened, the client gave up
//
// All but the second and the last fail before the request is processed.
// Control routes (/_emulator/) and OAuth routes never fault. The sequence
// is seeded, so a run with the same calls gets the same faults.
type faultKind int

const (
	noFault faultKind = iota
	faultInternalBefore
	faultInternalAfter
	faultUnavailable
	faultRateLimited
	faultReset
	faultSlow
	faultBadGateway
	faultKinds // count
)

// faultNames name the kinds in Stats.Faults.
var faultNames = [faultKinds]string{
	faultInternalBefore: "500_before_processing",
	faultInternalAfter:  "500_after_processing",
	faultUnavailable:    "503",
	faultRateLimited:    "429",
	faultReset:          "connection_reset",
	faultSlow:           "slow_reply_after_processing",
	faultBadGateway:     "502",
}

type faultPicker struct {
	mu   sync.Mutex
	rate float64
	rng  *rand.Rand
}

func newFaultPicker(rate float64) faultPicker {
	return faultPicker{rate: rate, rng: rand.New(rand.NewPCG(0xfa17, 0x5eed))}
}

func (f *faultPicker) pick() faultKind {
	if f.rate == 0 {
		return noFault
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rng.Float64() >= f.rate {
		return noFault
	}
	return faultKind(1 + f.rng.IntN(int(faultKinds)-1))
}

func faultError(k faultKind) *apiError {
	switch k {
	case faultUnavailable:
		return &apiError{Status: 503, Type: "service_unavailable", Message: "Service unavailable (injected fault)"}
	case faultRateLimited:
		return &apiError{Status: 429, Type: "rate_limited", Message: "Too many requests (injected fault)", RetryAfter: 1}
	case faultBadGateway:
		return &apiError{Status: 502, Type: "bad_gateway", Message: "Bad gateway (injected fault)"}
	default:
		return &apiError{Status: 500, Type: "internal_server_error", Message: "Internal server error (injected fault)"}
	}
}

// resetConnection drops the client's connection without a reply. A
// ResponseWriter that cannot be hijacked (httptest.ResponseRecorder) gets a
// 503 instead.
func resetConnection(w http.ResponseWriter, requestID string) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		writeResponse(w, errorResponse(faultError(faultUnavailable), requestID))
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0) // close with RST, not FIN
	}
	_ = conn.Close()
}
