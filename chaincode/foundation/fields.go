package foundation

import (
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Fields collects the problems of a request's fields. A Request's Validate
// method calls the checks below, one per field; each check records a
// FieldError when the value fails and returns whether it passed, so a
// Validate method can skip checks that depend on a failed field.
//
// Problems never echo the value: requests carry personal data.
type Fields struct {
	problems []FieldError
}

// Problem records a problem of field in words ("must be after startDate").
func (v *Fields) Problem(field, problem string) {
	v.problems = append(v.problems, FieldError{Field: field, Problem: problem})
}

// Problems returns the problems recorded so far.
func (v *Fields) Problems() []FieldError { return v.problems }

// Required checks that value is not empty.
func (v *Fields) Required(field, value string) bool {
	if value == "" {
		v.Problem(field, "required")
		return false
	}
	return true
}

// MaxIdentifierLength bounds identifiers (record IDs, codes, MSP IDs).
const MaxIdentifierLength = 64

// Identifier checks a required identifier: 1 to MaxIdentifierLength
// characters from A-Z a-z 0-9 . _ : -, starting with a letter or digit.
func (v *Fields) Identifier(field, value string) bool {
	if !v.Required(field, value) {
		return false
	}
	if len(value) > MaxIdentifierLength || !isIdentifier(value) {
		v.Problem(field, fmt.Sprintf("must be 1 to %d characters from A-Z a-z 0-9 . _ : - starting with a letter or digit", MaxIdentifierLength))
		return false
	}
	return true
}

// Text checks required free text of at most maxChars characters: no control
// characters, no invisible formatting or bidirectional control characters
// and no line or paragraph separators (see IsHiddenFormat), no leading or
// trailing white space. Free text is shown to people (a payee's name, a
// party's name, a title, a purpose), and must read the same to all of
// them.
func (v *Fields) Text(field, value string, maxChars int) bool {
	if !v.Required(field, value) {
		return false
	}
	return v.OptionalText(field, value, maxChars)
}

// OptionalText checks free text like Text but accepts the empty string.
func (v *Fields) OptionalText(field, value string, maxChars int) bool {
	if value == "" {
		return true
	}
	switch {
	case !utf8.ValidString(value):
		v.Problem(field, "must be valid UTF-8")
	case utf8.RuneCountInString(value) > maxChars:
		v.Problem(field, fmt.Sprintf("must be at most %d characters", maxChars))
	case strings.IndexFunc(value, unicode.IsControl) >= 0:
		v.Problem(field, "must not contain control characters")
	case strings.IndexFunc(value, IsHiddenFormat) >= 0:
		v.Problem(field, "must not contain invisible formatting, bidirectional control or line separator characters")
	case strings.TrimSpace(value) != value:
		v.Problem(field, "must not start or end with white space")
	default:
		return true
	}
	return false
}

// IsHiddenFormat reports whether r changes how the text around it is shown
// without being seen itself: a Unicode format character (category Cf: the
// bidirectional embeddings, overrides, isolates and marks such as U+202E
// and U+2066 to U+2069, U+061C, zero-width characters such as U+200B to
// U+200D and U+2060, the byte order mark, the soft hyphen, tag
// characters), or a line or paragraph separator (U+2028, U+2029). With
// them "Acme Ltd" can be made to display as another payee's name. Zero
// width joiners are refused too, so a name in a script that uses them is
// written without.
func IsHiddenFormat(r rune) bool {
	return unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
}

// SHA256Hex checks a required SHA-256 digest written as 64 lower-case
// hexadecimal characters.
func (v *Fields) SHA256Hex(field, value string) bool {
	if !v.Required(field, value) {
		return false
	}
	if !IsSHA256Hex(value) {
		v.Problem(field, "must be a SHA-256 digest: 64 lower-case hexadecimal characters")
		return false
	}
	return true
}

// Hex checks required lower-case hexadecimal data of minBytes to maxBytes
// bytes (twice as many characters).
func (v *Fields) Hex(field, value string, minBytes, maxBytes int) bool {
	if !v.Required(field, value) {
		return false
	}
	if len(value)%2 != 0 || len(value) < 2*minBytes || len(value) > 2*maxBytes || !isLowerHex(value) {
		v.Problem(field, fmt.Sprintf("must be %d to %d bytes written as lower-case hexadecimal", minBytes, maxBytes))
		return false
	}
	return true
}

// Secret checks a required secret the client chose, such as a salt or a
// one-time key, written as lower-case hexadecimal of minBytes to maxBytes
// bytes, and refuses one that is obviously not secret (see SecretBytes).
//
// Chaincode cannot make a secret: every endorser must compute the same
// result, so a contract has no randomness. The client draws the bytes from
// a cryptographic random generator and sends them as transient data; the
// contract can only refuse the values that no random generator gives.
func (v *Fields) Secret(field, value string, minBytes, maxBytes int) bool {
	if !v.Hex(field, value, minBytes, maxBytes) {
		return false
	}
	b, _ := hex.DecodeString(value) // checked by Hex
	return v.SecretBytes(field, b)
}

// SecretBytes refuses bytes b of field that are obviously not secret: every
// byte the same, a shorter pattern repeated, bytes counting up or down by a
// fixed step, fewer different byte values than half the length, or only
// the characters of decimal or hexadecimal digits (a number or hex text
// written as bytes). Random bytes of 16 or more fail one of these tests
// with a probability below 10^-15; a salt typed by a person, or derived
// from something guessable, often does. Passing says nothing more: the client remains responsible
// for drawing secrets at random and keeping them.
func (v *Fields) SecretBytes(field string, b []byte) bool {
	if problem := notSecret(b); problem != "" {
		v.Problem(field, "is not secret: "+problem+"; use bytes from a cryptographic random generator")
		return false
	}
	return true
}

// notSecret says why b cannot have come from a random generator, or "".
func notSecret(b []byte) string {
	if len(b) < 2 {
		return fmt.Sprintf("%d bytes are too few", len(b))
	}
	var seen [256]bool
	distinct := 0
	for _, c := range b {
		if !seen[c] {
			seen[c] = true
			distinct++
		}
	}
	if distinct == 1 {
		return "every byte is the same"
	}
	for period := 2; period <= len(b)/2; period++ {
		repeats := true
		for i := period; i < len(b) && repeats; i++ {
			repeats = b[i] == b[i-period]
		}
		if repeats {
			return fmt.Sprintf("it repeats a pattern of %d bytes", period)
		}
	}
	step, counts := b[1]-b[0], true
	for i := 2; i < len(b) && counts; i++ {
		counts = b[i]-b[i-1] == step
	}
	if counts {
		return "its bytes count up or down by a fixed step"
	}
	if distinct < len(b)/2 {
		return fmt.Sprintf("it has only %d different byte values in %d bytes", distinct, len(b))
	}
	if !slices.ContainsFunc(b, func(c byte) bool { return !strings.ContainsRune("0123456789abcdef", rune(c)) }) {
		return "its bytes are all digits: text, not random bytes"
	}
	return ""
}

// Int checks that value lies in [minimum, maximum].
func (v *Fields) Int(field string, value, minimum, maximum int64) bool {
	if value < minimum || value > maximum {
		v.Problem(field, fmt.Sprintf("must be between %d and %d", minimum, maximum))
		return false
	}
	return true
}

// OneOf checks that value is one of allowed.
func (v *Fields) OneOf(field, value string, allowed ...string) bool {
	for _, a := range allowed {
		if value == a {
			return true
		}
	}
	v.Problem(field, "must be one of "+strings.Join(allowed, ", "))
	return false
}

// DateLayout is the layout of calendar dates in requests: 2006-01-02.
const DateLayout = time.DateOnly

// Date checks a required calendar date written as YYYY-MM-DD and returns it
// (midnight UTC).
func (v *Fields) Date(field, value string) (time.Time, bool) {
	if !v.Required(field, value) {
		return time.Time{}, false
	}
	d, err := time.Parse(DateLayout, value)
	if err != nil {
		v.Problem(field, "must be a date written as YYYY-MM-DD")
		return time.Time{}, false
	}
	return d, true
}

// isIdentifier: letters, digits and . _ : - , starting with a letter or
// digit. Identifiers become composite key attributes and event fields, so
// they are kept free of spaces and control characters.
func isIdentifier(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || !strings.ContainsRune("._:-", rune(c))) {
			return false
		}
	}
	return s != ""
}
