package foundation

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
)

// nameError is a field name that the request type does not have, or that
// an object names twice, or a field that holds a plain value where the
// request type has an object or an array.
type nameError struct{ FieldError }

func (e *nameError) Error() string { return e.FieldError.String() }

// checkFieldNames reads raw, one JSON object, alongside t, the type it
// decodes into, and refuses the first object field whose name is not
// exactly the JSON name of a field of the struct it decodes into, or that
// its object names twice. Maps, interfaces and types that decode
// themselves have no field names to check; their objects are only checked
// for names given twice. It also refuses anything after the object.
//
// encoding/json matches names without regard to case and with Unicode
// simple folding, and keeps the last of two spellings; any reader that
// compares names exactly would then read other values from the same bytes.
func checkFieldNames(raw []byte, t reflect.Type) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	r := nameReader{dec: dec}
	if err := r.value(t, ""); err != nil {
		return err
	}
	switch _, err := dec.Token(); {
	case err == io.EOF:
		return nil
	case err != nil:
		return fmt.Errorf("malformed JSON: %w", err)
	default:
		return errors.New("unexpected data after the JSON object")
	}
}

type nameReader struct{ dec *json.Decoder }

func (r nameReader) token() (json.Token, error) {
	tok, err := r.dec.Token()
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return nil, fmt.Errorf("malformed JSON: %w", err)
	}
	return tok, nil
}

// value reads one JSON value that decodes into t (nil when unknown) at
// path.
func (r nameReader) value(t reflect.Type, path string) error {
	tok, err := r.token()
	if err != nil {
		return err
	}
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch tok {
	case json.Delim('{'):
		return r.object(t, path)
	case json.Delim('['):
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; r.dec.More(); i++ {
			if err := r.value(elem, path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
		_, err := r.token() // ]
		return err
	}
	// A scalar where an object or an array of a request is expected is
	// named here, before the names that follow it; other mismatches are
	// the decoder's.
	if t != nil && tok != nil && !decodesItself(t) && (t.Kind() == reflect.Struct || t.Kind() == reflect.Map ||
		(t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8)) {
		got := "string"
		switch tok.(type) {
		case json.Number:
			got = "number"
		case bool:
			got = "bool"
		}
		field := path
		if field == "" {
			field = "(object)"
		}
		return &nameError{FieldError{Field: field, Problem: "must be " + jsonKind(t) + ", got " + got}}
	}
	return nil
}

// object reads the members of an object, after its '{'.
func (r nameReader) object(t reflect.Type, path string) error {
	var fields map[string]reflect.Type // nil: names are data, not fields
	if t != nil && t.Kind() == reflect.Struct && !decodesItself(t) {
		fields = jsonFields(t)
	}
	var mapElem reflect.Type
	if t != nil && t.Kind() == reflect.Map {
		mapElem = t.Elem()
	}
	seen := map[string]bool{}
	for r.dec.More() {
		tok, err := r.token()
		if err != nil {
			return err
		}
		name, _ := tok.(string)
		field := name
		if path != "" {
			field = path + "." + name
		}
		if seen[name] {
			return &nameError{FieldError{Field: field, Problem: "appears more than once"}}
		}
		seen[name] = true
		elem := mapElem
		if fields != nil {
			typ, ok := fields[name]
			if !ok {
				return &nameError{FieldError{Field: field, Problem: unknownField(name, fields)}}
			}
			elem = typ
		}
		if err := r.value(elem, field); err != nil {
			return err
		}
	}
	_, err := r.token() // }
	return err
}

// unknownField says that name is no field, and which field it would have
// been taken for by a reader that folds case.
func unknownField(name string, fields map[string]reflect.Type) string {
	var folded []string
	for candidate := range fields {
		if strings.EqualFold(candidate, name) {
			folded = append(folded, candidate)
		}
	}
	if len(folded) == 0 {
		return "unknown field"
	}
	slices.Sort(folded) // the same message on every endorsing peer
	return fmt.Sprintf("unknown field; field names are exact: did you mean %q?", folded[0])
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// decodesItself reports whether t decodes JSON its own way, so that its
// object's names are not struct fields.
func decodesItself(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return t.Implements(jsonUnmarshaler) || p.Implements(jsonUnmarshaler) ||
		t.Implements(textUnmarshaler) || p.Implements(textUnmarshaler)
}

// jsonFields returns the JSON names of the fields encoding/json decodes
// into struct type t, with their types: exported fields named by their
// json tag or their Go name, "-" left out, and the fields of embedded
// structs without a tag promoted, the shallowest winning and a tie between
// fields of the same depth resolved for the one tagged, or for none.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	type candidate struct {
		typ    reflect.Type
		depth  int
		tagged bool
		count  int // candidates of this name at this depth
	}
	best := map[string]*candidate{}
	var visit func(t reflect.Type, depth int, visited map[reflect.Type]bool)
	visit = func(t reflect.Type, depth int, visited map[reflect.Type]bool) {
		if visited[t] {
			return
		}
		visited[t] = true
		defer delete(visited, t)
		for i := range t.NumField() {
			sf := t.Field(i)
			ft := sf.Type
			if sf.Anonymous && ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if !sf.IsExported() && !(sf.Anonymous && ft.Kind() == reflect.Struct) {
				continue
			}
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if name == "" && sf.Anonymous && ft.Kind() == reflect.Struct {
				visit(ft, depth+1, visited)
				continue
			}
			if !sf.IsExported() {
				continue
			}
			tagged := name != ""
			if !tagged {
				name = sf.Name
			}
			c, ok := best[name]
			switch {
			case !ok || depth < c.depth:
				best[name] = &candidate{typ: sf.Type, depth: depth, tagged: tagged, count: 1}
			case depth == c.depth:
				if tagged && !c.tagged {
					best[name] = &candidate{typ: sf.Type, depth: depth, tagged: true, count: 1}
				} else if tagged == c.tagged {
					c.count++
				}
			}
		}
	}
	visit(t, 0, map[reflect.Type]bool{})
	fields := make(map[string]reflect.Type, len(best))
	for name, c := range best {
		if c.count == 1 { // encoding/json ignores an ambiguous name
			fields[name] = c.typ
		}
	}
	return fields
}

// rejectUnpairedSurrogates refuses a \u escape of a UTF-16 surrogate that
// is not a high surrogate followed by an escaped low one: Go decodes such
// an escape as U+FFFD, JavaScript and others keep it, so two readers of
// the same bytes would read two strings. Other malformed escapes are left
// to the decoder.
func rejectUnpairedSurrogates(raw []byte) error {
	inString := false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case !inString:
			inString = c == '"'
		case c == '"':
			inString = false
		case c == '\\' && i+1 < len(raw):
			if raw[i+1] != 'u' {
				i++ // an escaped character, such as \\ or \"
				continue
			}
			r, ok := escapedRune(raw[i:])
			if !ok {
				i++
				continue
			}
			switch {
			case utf16.IsSurrogate(r) && r < 0xdc00:
				if low, ok := escapedRune(raw[i+6:]); ok && utf16.DecodeRune(r, low) != '\uFFFD' {
					i += 11
					continue
				}
				return errors.New(`a \u escape is an unpaired UTF-16 surrogate, which JSON readers decode differently`)
			case utf16.IsSurrogate(r):
				return errors.New(`a \u escape is an unpaired UTF-16 surrogate, which JSON readers decode differently`)
			}
			i += 5
		}
	}
	return nil
}

// escapedRune reads a \uXXXX escape at the start of b.
func escapedRune(b []byte) (rune, bool) {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return 0, false
	}
	v, err := strconv.ParseUint(string(b[2:6]), 16, 16)
	if err != nil {
		return 0, false
	}
	return rune(v), true
}
