package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// params is a request's parameters: the JSON body of a POST (PATCH, PUT,
// DELETE), or the query string of a GET, where every value is a string,
// arrays repeat the key (a=1&a=2, a[]=1) or are comma-separated, and objects
// use brackets (custom_metadata_has[floor]=3).
//
// Accessors record the first problem, so a handler reads everything it
// needs and checks p.err() once; the error names the field, as Seam's
// validation errors do.
type params struct {
	values    map[string]any
	fromQuery bool
	first     *apiError
}

const maxBody = 1 << 20

// readParams parses a request's parameters. Content-type and JSON problems
// come back as an error for the caller to report after authentication.
func readParams(r *http.Request) (*params, *apiError) {
	if r.Method == http.MethodGet || (r.Method == http.MethodDelete && r.ContentLength <= 0) {
		return &params{values: queryValues(r.URL.Query()), fromQuery: true}, nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		return nil, &apiError{Status: 400, Type: "invalid_content_type",
			Message: fmt.Sprintf("Content-Type must be application/json, got %q", r.Header.Get("Content-Type"))}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	switch {
	case err != nil:
		return nil, &apiError{Status: 400, Type: "invalid_input", Message: "could not read the request body"}
	case len(body) > maxBody:
		return nil, &apiError{Status: 413, Type: "payload_too_large", Message: "the request body is larger than 1 MiB"}
	}
	p := &params{values: map[string]any{}}
	if strings.TrimSpace(string(body)) == "" {
		return p, nil
	}
	if err := json.Unmarshal(body, &p.values); err != nil {
		return nil, &apiError{Status: 400, Type: "invalid_input", Message: "the request body must be a JSON object"}
	}
	if p.values == nil { // the body was null
		p.values = map[string]any{}
	}
	return p, nil
}

func queryValues(q url.Values) map[string]any {
	out := map[string]any{}
	for key, vals := range q {
		switch {
		case strings.HasSuffix(key, "[]"):
			out[strings.TrimSuffix(key, "[]")] = toAny(vals)
		case strings.Contains(key, "[") && strings.HasSuffix(key, "]"):
			name, sub, _ := strings.Cut(strings.TrimSuffix(key, "]"), "[")
			obj, _ := out[name].(map[string]any)
			if obj == nil {
				obj = map[string]any{}
				out[name] = obj
			}
			obj[sub] = vals[len(vals)-1]
		case len(vals) > 1:
			out[key] = toAny(vals)
		default:
			out[key] = vals[0]
		}
	}
	return out
}

func toAny(vals []string) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		out[i] = v
	}
	return out
}

// encodeQuery is the inverse of queryValues, for next_page_url.
func encodeQuery(values map[string]any) url.Values {
	q := url.Values{}
	for key, v := range values {
		switch v := v.(type) {
		case nil:
		case []any:
			for _, item := range v {
				q.Add(key, fmt.Sprint(item))
			}
		case map[string]any:
			for sub, item := range v {
				q.Set(key+"["+sub+"]", fmt.Sprint(item))
			}
		case float64:
			q.Set(key, strconv.FormatFloat(v, 'f', -1, 64))
		default:
			q.Set(key, fmt.Sprint(v))
		}
	}
	return q
}

func (p *params) fail(field, format string, args ...any) {
	if p.first == nil {
		p.first = invalidInput(field, fmt.Sprintf(format, args...))
	}
}

func (p *params) err() error {
	if p.first == nil {
		return nil
	}
	return p.first
}

// present reports whether key was given at all, even as null.
func (p *params) present(key string) bool {
	_, ok := p.values[key]
	return ok
}

// string reads an optional string; ok is false when absent or null.
func (p *params) string(key string) (string, bool) {
	v, ok := p.values[key]
	if !ok || v == nil {
		return "", false
	}
	s, isString := v.(string)
	if !isString {
		p.fail(key, "%s must be a string", key)
		return "", false
	}
	return s, true
}

func (p *params) requiredString(key string) string {
	s, ok := p.string(key)
	if !ok || s == "" {
		p.fail(key, "%s is required", key)
	}
	return s
}

// nullableString reads a string that may be set to null: present is true
// for both "x" and null (then s is nil).
func (p *params) nullableString(key string) (s *string, present bool) {
	if !p.present(key) {
		return nil, false
	}
	if v, ok := p.string(key); ok {
		return &v, true
	}
	return nil, true
}

// oneOf reads an optional string that must be one of allowed.
func (p *params) oneOf(key string, allowed ...string) (string, bool) {
	s, ok := p.string(key)
	if ok && !slices.Contains(allowed, s) {
		p.fail(key, "%s must be one of %s, got %q", key, strings.Join(allowed, ", "), s)
		return "", false
	}
	return s, ok
}

func (p *params) boolean(key string) (bool, bool) {
	v, ok := p.values[key]
	if !ok || v == nil {
		return false, false
	}
	switch v := v.(type) {
	case bool:
		return v, true
	case string:
		if p.fromQuery && (v == "true" || v == "false") {
			return v == "true", true
		}
	}
	p.fail(key, "%s must be a boolean", key)
	return false, false
}

// booleanAlias reads the first given of several names for one flag (Seam
// has allow_external_modification and is_external_modification_allowed).
func (p *params) booleanAlias(keys ...string) (bool, bool) {
	for _, k := range keys {
		if b, ok := p.boolean(k); ok {
			return b, true
		}
	}
	return false, false
}

func (p *params) integer(key string) (int, bool) {
	v, ok := p.values[key]
	if !ok || v == nil {
		return 0, false
	}
	switch v := v.(type) {
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1e15 {
			return int(v), true
		}
	case string:
		if n, err := strconv.Atoi(v); err == nil && p.fromQuery {
			return n, true
		}
	}
	p.fail(key, "%s must be an integer", key)
	return 0, false
}

// strings reads an optional array of strings.
func (p *params) strings(key string) ([]string, bool) {
	v, ok := p.values[key]
	if !ok || v == nil {
		return nil, false
	}
	switch v := v.(type) {
	case []any:
		out := make([]string, 0, len(v))
		for i, item := range v {
			s, isString := item.(string)
			if !isString {
				p.fail(key, "%s[%d] must be a string", key, i)
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	case string:
		if p.fromQuery {
			return strings.Split(v, ","), true
		}
	}
	p.fail(key, "%s must be an array of strings", key)
	return nil, false
}

// timestamp reads an optional date-time; present is true for null too.
func (p *params) timestamp(key string) (t *time.Time, present bool) {
	if !p.present(key) {
		return nil, false
	}
	s, ok := p.string(key)
	if !ok {
		return nil, true
	}
	parsed, err := parseTime(s)
	if err != nil {
		p.fail(key, "%s: Must be parsable date string", key)
		return nil, true
	}
	return &parsed, true
}

func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Truncate(time.Millisecond), nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date: %q", s)
}

func (p *params) object(key string) (map[string]any, bool) {
	v, ok := p.values[key]
	if !ok || v == nil {
		return nil, false
	}
	m, isObject := v.(map[string]any)
	if !isObject {
		p.fail(key, "%s must be an object", key)
		return nil, false
	}
	return m, true
}

// metadata reads custom_metadata: at most 50 keys, each a string of at most
// 500 characters or a boolean. A null value means "no such key" and is
// dropped, so replacing metadata never stores nulls.
func (p *params) metadata(key string) (map[string]any, bool) {
	m, ok := p.object(key)
	if !ok {
		return nil, false
	}
	if len(m) > 50 {
		p.fail(key, "%s can have at most 50 keys, got %d", key, len(m))
		return nil, false
	}
	out := map[string]any{}
	for k, v := range m {
		switch v := v.(type) {
		case nil:
		case bool:
			out[k] = v
		case string:
			if p.fromQuery && (v == "true" || v == "false") {
				out[k] = v == "true"
				continue
			}
			if len(v) > 500 {
				p.fail(key+"."+k, "%s.%s must be at most 500 characters", key, k)
				return nil, false
			}
			out[k] = v
		default:
			p.fail(key+"."+k, "%s.%s must be a string or a boolean", key, k)
			return nil, false
		}
	}
	return out, true
}
