package seam

import (
	"encoding/json"
	"fmt"
	"math"
)

// Seam's spec types the capability numbers (supported_code_lengths,
// max_active_codes_supported, a constraint's min_length and max_length) as
// JSON numbers of format float, so 6.0 is as valid as 6 on the wire. They
// are whole numbers in meaning; these decoders accept either form.

// wholeNumber is an int that decodes from any integral JSON number.
type wholeNumber int

func (n *wholeNumber) UnmarshalJSON(b []byte) error {
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	if f != math.Trunc(f) || math.Abs(f) > math.MaxInt32 {
		return fmt.Errorf("seam: %s is not a whole number", b)
	}
	*n = wholeNumber(f)
	return nil
}

func intPointer(n *wholeNumber) *int {
	if n == nil {
		return nil
	}
	v := int(*n)
	return &v
}

// UnmarshalJSON decodes the properties, accepting 6.0 for 6.
func (p *DeviceProperties) UnmarshalJSON(b []byte) error {
	type plain DeviceProperties
	aux := struct {
		*plain
		SupportedCodeLengths    []wholeNumber `json:"supported_code_lengths,omitempty"`
		MaxActiveCodesSupported *wholeNumber  `json:"max_active_codes_supported,omitempty"`
	}{plain: (*plain)(p)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	p.SupportedCodeLengths = nil
	for _, n := range aux.SupportedCodeLengths {
		p.SupportedCodeLengths = append(p.SupportedCodeLengths, int(n))
	}
	p.MaxActiveCodesSupported = intPointer(aux.MaxActiveCodesSupported)
	return nil
}

// UnmarshalJSON decodes a constraint, accepting 6.0 for 6.
func (c *CodeConstraint) UnmarshalJSON(b []byte) error {
	type plain CodeConstraint
	aux := struct {
		*plain
		MinLength *wholeNumber `json:"min_length,omitempty"`
		MaxLength *wholeNumber `json:"max_length,omitempty"`
	}{plain: (*plain)(c)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	c.MinLength, c.MaxLength = intPointer(aux.MinLength), intPointer(aux.MaxLength)
	return nil
}
