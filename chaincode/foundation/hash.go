package foundation

import (
	"crypto/sha256"
	"encoding/hex"
)

// SHA256Hex returns the SHA-256 digest of data as 64 lower-case hexadecimal
// characters, the form in which the contracts store and compare digests.
func SHA256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// IsSHA256Hex reports whether s is a SHA-256 digest written as 64 lower-case
// hexadecimal characters. Upper-case digits are refused so that one digest
// has exactly one spelling, and therefore one ledger key.
func IsSHA256Hex(s string) bool {
	return len(s) == 2*sha256.Size && isLowerHex(s)
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
