package foundation

import (
	"errors"
	"fmt"
	"strings"

	"github.com/govshare/govshare/chaincode/consortium"
)

// Sentinel errors. Every error a transaction function returns because of the
// caller, the input or the current state wraps exactly one of them, so
// contracts, tests and clients can tell the cases apart with errors.Is. Other
// errors (a failing stub call, corrupt state) wrap none of them.
var (
	// ErrAccessDenied: the caller's organisation or role may not call the
	// function, or may not act on this record. See AccessError.
	ErrAccessDenied = errors.New("access denied")
	// ErrInvalidInput: the request is malformed, too large or fails
	// validation. See InputError.
	ErrInvalidInput = errors.New("invalid input")
	// ErrNotFound: the record the request names does not exist.
	ErrNotFound = errors.New("not found")
	// ErrAlreadyExists: the record the request would create exists already.
	ErrAlreadyExists = errors.New("already exists")
	// ErrConflict: the record exists but its state forbids the operation
	// (for example it is revoked, or the rule compares it with the request).
	ErrConflict = errors.New("conflict with current state")
)

// AccessError reports a refused call: which function, who called it and
// what the function requires. It wraps ErrAccessDenied.
type AccessError struct {
	// Function is the transaction function that refused the call.
	Function string
	// MSPID and Role describe the caller as read from its certificate. Role
	// is empty when the certificate has no govshare.role attribute.
	MSPID string
	Role  string
	// Required says in words what the function requires, for example
	// `role "registrar" in UniversityAMSP or UniversityBMSP`.
	Required string
}

// Error reads like "access denied: RecordCredit called by EduMinistryMSP with
// role "officer"; requires role "registrar" in UniversityAMSP".
func (e *AccessError) Error() string {
	role := "no " + consortium.RoleAttribute + " attribute"
	if e.Role != "" {
		role = fmt.Sprintf("role %q", e.Role)
	}
	return fmt.Sprintf("access denied: %s called by %s with %s; requires %s", e.Function, e.MSPID, role, e.Required)
}

// Unwrap returns ErrAccessDenied.
func (e *AccessError) Unwrap() error { return ErrAccessDenied }

// FieldError is one problem with one field of a request.
type FieldError struct {
	// Field is the JSON name of the field, with a prefix for nested or
	// transient input ("transient.student.birthDate").
	Field string
	// Problem says what is wrong, without echoing the value (inputs may be
	// personal data).
	Problem string
}

func (f FieldError) String() string { return f.Field + ": " + f.Problem }

// InputError reports a request that cannot be accepted: undecodable JSON,
// unknown or duplicate fields, oversized input, or fields that fail
// validation. It wraps ErrInvalidInput and, when decoding failed, the
// decoder's error.
type InputError struct {
	// Input names what was decoded: "request", "transient \"student\"", ...
	Input string
	// Fields lists validation problems in the order they were found.
	Fields []FieldError
	// Cause is the decoding error, if decoding failed.
	Cause error
}

func (e *InputError) Error() string {
	var b strings.Builder
	b.WriteString("invalid input: ")
	b.WriteString(e.Input)
	if e.Cause != nil {
		b.WriteString(": ")
		b.WriteString(e.Cause.Error())
	}
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.String())
	}
	return b.String()
}

// Unwrap returns ErrInvalidInput and the decoding error, if any.
func (e *InputError) Unwrap() []error {
	if e.Cause != nil {
		return []error{ErrInvalidInput, e.Cause}
	}
	return []error{ErrInvalidInput}
}

// RecordError reports that a named record is missing, exists already or is
// in a state that forbids the operation. It wraps one of ErrNotFound,
// ErrAlreadyExists or ErrConflict.
type RecordError struct {
	// Kind is the sentinel: ErrNotFound, ErrAlreadyExists or ErrConflict.
	Kind error
	// Record names the record in words: `credit "C-1"`.
	Record string
	// Detail explains the state, for example "registered by UniversityAMSP
	// on 2025-01-01T00:00:00Z". May be empty.
	Detail string
}

func (e *RecordError) Error() string {
	switch {
	case e.Kind == ErrConflict && e.Detail != "":
		return e.Record + " " + e.Detail
	case e.Kind == ErrNotFound:
		return withDetail(e.Record+" not found", e.Detail)
	case e.Kind == ErrAlreadyExists:
		return withDetail(e.Record+" already exists", e.Detail)
	default:
		return withDetail(e.Record+": "+fmt.Sprint(e.Kind), e.Detail)
	}
}

// Unwrap returns the sentinel in Kind.
func (e *RecordError) Unwrap() error { return e.Kind }

// NotFound returns a RecordError wrapping ErrNotFound. kind and id name the
// record: NotFound("credit", "C-1") reads `credit "C-1" not found`.
func NotFound(kind, id string) error {
	return &RecordError{Kind: ErrNotFound, Record: RecordName(kind, id)}
}

// AlreadyExists returns a RecordError wrapping ErrAlreadyExists; detail
// (optional) says who created the existing record and when.
func AlreadyExists(kind, id, detail string) error {
	return &RecordError{Kind: ErrAlreadyExists, Record: RecordName(kind, id), Detail: detail}
}

// Conflict returns a RecordError wrapping ErrConflict; detail completes the
// sentence: Conflict("credit", "C-1", "is revoked") reads `credit "C-1" is
// revoked`.
func Conflict(kind, id, detail string) error {
	return &RecordError{Kind: ErrConflict, Record: RecordName(kind, id), Detail: detail}
}

func withDetail(msg, detail string) string {
	if detail == "" {
		return msg
	}
	return msg + ": " + detail
}

// RecordName names a record in messages as its kind and quoted ID:
// RecordName("case", "C-1") is `case "C-1"`.
func RecordName(kind, id string) string {
	return fmt.Sprintf("%s %q", kind, id)
}
