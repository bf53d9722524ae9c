package emulator

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
)

// The workspace credential vault as tests see it, beside the partner routes
// that fill it (partner.go).

// CredentialHolds reports whether the workspace vault holds value under
// name. The vault keeps only a hash, so a test can check what was stored
// without the emulator ever returning a secret.
func (e *Emulator) CredentialHolds(workspaceID, name, value string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	cr := e.credentials[workspaceID+"/"+name]
	if cr == nil {
		return false
	}
	sum := sha256.Sum256([]byte(value))
	return subtle.ConstantTimeCompare([]byte(cr.ValueSHA256), []byte(hex.EncodeToString(sum[:]))) == 1
}
