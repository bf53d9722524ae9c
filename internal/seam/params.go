package seam

import "time"

// params is a request body under construction. Its setters leave out what
// the caller did not set, so Seam applies its own defaults.
type params map[string]any

func (p params) str(k, v string) {
	if v != "" {
		p[k] = v
	}
}

func (p params) strPtr(k string, v *string) {
	if v != nil {
		p[k] = *v
	}
}

func (p params) boolPtr(k string, v *bool) {
	if v != nil {
		p[k] = *v
	}
}

func (p params) intPtr(k string, v *int) {
	if v != nil {
		p[k] = *v
	}
}

// timePtr sends RFC 3339 in UTC; sub-second digits are kept only when set.
func (p params) timePtr(k string, v *time.Time) {
	if v != nil {
		p[k] = v.UTC().Format(time.RFC3339Nano)
	}
}

func (p params) list(k string, v []string) {
	if len(v) > 0 {
		p[k] = v
	}
}

// customMetadata sends m when it is non-nil, even empty: custom_metadata
// replaces the whole object, so an empty map is how to clear it.
func (p params) customMetadata(m Metadata) {
	if m != nil {
		p["custom_metadata"] = m
	}
}

// customMetadataHas sends the metadata filter only when it has keys.
func (p params) customMetadataHas(m Metadata) {
	if len(m) > 0 {
		p["custom_metadata_has"] = m
	}
}

func (p params) limit(n int) {
	if n > 0 {
		p["limit"] = n
	}
}
