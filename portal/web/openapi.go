package web

import (
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"time"
)

// openAPI serves the OpenAPI 3.1 document of the JSON API, made from the
// endpoints themselves: their routes, parameters and the Go types of their
// answers, so that the document cannot drift from the API.
func (s *Server) openAPI(endpoints []endpoint) http.HandlerFunc {
	doc := openAPIDocument(endpoints)
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		writeJSON(w, http.StatusOK, doc)
	}
}

func openAPIDocument(endpoints []endpoint) map[string]any {
	schemas := map[string]any{}
	paths := map[string]any{}
	for _, e := range endpoints {
		if e.api == "" {
			continue
		}
		var params []any
		for _, p := range e.params {
			schema := map[string]any{"type": "string"}
			if p.integer {
				schema = map[string]any{"type": "integer"}
			}
			params = append(params, map[string]any{"name": p.name, "in": p.in, "required": p.in == "path", "description": p.description, "schema": schema})
		}
		op := map[string]any{
			"summary":     e.summary,
			"operationId": operationID(e.api),
			"parameters":  params,
			"responses": map[string]any{
				"200": map[string]any{"description": "OK", "content": map[string]any{"application/json": map[string]any{
					"schema": schemaOf(reflect.TypeOf(e.result), schemas)}}},
				"400": map[string]any{"description": "a malformed parameter"},
				"404": map[string]any{"description": "no such record"},
			},
		}
		if e.oversight {
			op["security"] = []any{map[string]any{"session": []any{}}}
			op["responses"].(map[string]any)["401"] = map[string]any{"description": "no oversight session"}
			op["tags"] = []string{"oversight"}
		} else {
			op["tags"] = []string{"public"}
		}
		paths[e.api] = map[string]any{"get": op}
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "govshare disclosure portal", "version": "1",
			"description": "Public JSON API of the disclosure portal: the read model of the govshare ledger. Amounts are integers in minor units of their currency; times are RFC 3339 in UTC; digests are SHA-256 in lower-case hex. The oversight operations need the session cookie of an oversight account."},
		"servers": []any{map[string]any{"url": "/"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas":         schemas,
			"securitySchemes": map[string]any{"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "govportal_session"}},
		},
	}
}

func operationID(route string) string {
	parts := strings.FieldsFunc(strings.TrimPrefix(route, "/api/v1/"), func(r rune) bool { return r == '/' || r == '{' || r == '}' })
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
	}
	return "get" + strings.ToUpper(parts[0][:1]) + parts[0][1:] + strings.Join(parts[1:], "")
}

var timeType = reflect.TypeOf(time.Time{})

// schemaOf returns the JSON Schema of t, adding named struct types to
// schemas and referring to them.
func schemaOf(t reflect.Type, schemas map[string]any) map[string]any {
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.Pointer:
		return schemaOf(t.Elem(), schemas)
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		return map[string]any{"description": "JSON value or base64 bytes"}
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem(), schemas)}
	case t.Kind() == reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem(), schemas)}
	case t.Kind() == reflect.String:
		return map[string]any{"type": "string"}
	case t.Kind() == reflect.Bool:
		return map[string]any{"type": "boolean"}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return map[string]any{"type": "integer"}
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return map[string]any{"type": "number"}
	case t.Kind() == reflect.Struct:
		name := schemaName(t)
		if _, ok := schemas[name]; !ok {
			schemas[name] = map[string]any{} // stops recursion
			props := map[string]any{}
			var required []string
			addFields(t, props, &required, schemas)
			obj := map[string]any{"type": "object", "properties": props}
			if len(required) > 0 {
				obj["required"] = required
			}
			schemas[name] = obj
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	default:
		return map[string]any{}
	}
}

// addFields adds the JSON properties of a struct's fields, flattening
// embedded structs as encoding/json does.
func addFields(t reflect.Type, props map[string]any, required *[]string, schemas map[string]any) {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				addFields(ft, props, required, schemas)
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		if f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Uint8 && f.Tag.Get("json") == "-" {
			continue
		}
		props[name] = schemaOf(f.Type, schemas)
		if !strings.Contains(opts, "omitempty") && f.Type.Kind() != reflect.Pointer {
			*required = append(*required, name)
		}
	}
}

// schemaName names a struct type's schema: its package and name, with
// the package paths of generic arguments cut to their last element.
func schemaName(t reflect.Type) string {
	pkg := t.PkgPath()
	pkg = pkg[strings.LastIndex(pkg, "/")+1:]
	name := packagePaths.ReplaceAllString(t.Name(), "")
	return pkg + "." + strings.NewReplacer("[", "_", "]", "", ".", "_", "*", "", ",", "_").Replace(name)
}

var packagePaths = regexp.MustCompile(`(?:[\w.-]+/)+`)
