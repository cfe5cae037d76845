package foundation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"
)

// Size limits of decoded input.
const (
	// MaxRequestBytes bounds the JSON request argument of a write function.
	MaxRequestBytes = 16 << 10
	// MaxTransientBytes bounds one transient data entry.
	MaxTransientBytes = 16 << 10
)

// Request is a write function's input, decoded from one JSON object. Its
// Validate method reports every problem of the decoded value to v.
type Request interface {
	Validate(v *Fields)
}

// BatchRequest is a Request that carries many records in one transaction
// (a run of payments) and so may be larger than MaxRequestBytes: it is
// decoded with its own limit, MaxBytes, which should be what its largest
// batch takes and no more.
type BatchRequest interface {
	Request
	MaxBytes() int
}

// DecodeRequest decodes the JSON object raw into req and validates it.
//
// Decoding is strict, so that the contract and any other reader of the same
// signed bytes (an auditor's script, JavaScript, jq) read the same request:
// raw must be valid UTF-8, at most MaxRequestBytes long (a BatchRequest's
// MaxBytes), and exactly one
// JSON object; at every depth, in nested objects and in arrays of objects,
// every field name must be exactly the JSON name of a field of the request
// type (encoding/json alone would match "AMOUNT", "Amount" or "ſtatus" to
// the fields amount and status, and keep the last of two spellings), and
// no object may name a field twice; \u escapes must not leave a UTF-16
// surrogate unpaired (Go reads one as U+FFFD, JavaScript keeps it); fields
// of the wrong JSON type and trailing data are refused. Every refusal is an
// *InputError (wrapping ErrInvalidInput) that names the offending field,
// with its path ("payee.name", "parties[1].ref"), without echoing its
// value.
func DecodeRequest(raw string, req Request) error {
	limit := MaxRequestBytes
	if batch, ok := req.(BatchRequest); ok {
		limit = batch.MaxBytes()
	}
	return decodeStrict("request", []byte(raw), limit, req)
}

func decodeStrict(input string, raw []byte, limit int, req Request) error {
	inputErr := func(cause error, fields ...FieldError) error {
		return &InputError{Input: input, Cause: cause, Fields: fields}
	}
	if len(raw) > limit {
		return inputErr(fmt.Errorf("%d bytes is over the limit of %d bytes", len(raw), limit))
	}
	if !utf8.Valid(raw) {
		return inputErr(errors.New("not valid UTF-8"))
	}
	trimmed := bytes.TrimLeft(raw, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return inputErr(errors.New("must be a JSON object"))
	}
	if err := rejectUnpairedSurrogates(raw); err != nil {
		return inputErr(err)
	}
	if err := checkFieldNames(raw, reflect.TypeOf(req)); err != nil {
		var named *nameError
		if errors.As(err, &named) {
			return inputErr(nil, named.FieldError)
		}
		return inputErr(err)
	}

	// Every name is now exactly a field's, so encoding/json's folding of
	// names never applies.
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(req); err != nil {
		if field, problem, ok := describeDecodeError(err); ok {
			return inputErr(nil, FieldError{Field: field, Problem: problem})
		}
		return inputErr(fmt.Errorf("malformed JSON: %w", err))
	}

	var v Fields
	req.Validate(&v)
	if len(v.problems) > 0 {
		return inputErr(nil, v.problems...)
	}
	return nil
}

// describeDecodeError turns the decoder's errors about one field into a
// field problem. Syntax errors are left to the caller.
func describeDecodeError(err error) (field, problem string, ok bool) {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		name := typeErr.Field
		if name == "" {
			name = "(object)"
		}
		got, _, _ := strings.Cut(typeErr.Value, " ") // "number 12" -> "number": never echo values
		return name, "must be " + jsonKind(typeErr.Type) + ", got " + got, true
	}
	// encoding/json reports unknown fields only as text.
	const unknown = "json: unknown field "
	if msg := err.Error(); strings.HasPrefix(msg, unknown) {
		return strings.Trim(strings.TrimPrefix(msg, unknown), `"`), "unknown field", true
	}
	return "", "", false
}

func jsonKind(t reflect.Type) string {
	if t == nil {
		return "a JSON value"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer in range"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	default:
		return "an object"
	}
}

// Arguments validates the plain string arguments of a query function with
// the same checks and error type as a request: check records problems in v,
// and any problem makes Arguments return an *InputError for "arguments".
func Arguments(check func(v *Fields)) error {
	var v Fields
	check(&v)
	if len(v.problems) > 0 {
		return &InputError{Input: "arguments", Fields: v.problems}
	}
	return nil
}
