package provider

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// The provider's own string and map validators: each rejects bad input at
// plan time with a diagnostic naming the attribute and the fix. Checks that
// need more than one attribute are in the resources' ValidateConfig.

// stringCheck is a string validator built from a function returning a
// problem ("" when the value is fine). It never quotes the value, which may
// be a PIN.
type stringCheck struct {
	what  string
	check func(string) string
}

func (v stringCheck) Description(context.Context) string { return "checks " + v.what }

func (v stringCheck) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	p := v.check(req.ConfigValue.ValueString())
	if p == "" {
		return
	}
	switch v.what {
	case "code":
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid PIN",
			fmt.Sprintf("code must be a PIN made of digits only, but %s. Fix code, or remove it to let Seam generate a PIN.", p))
	default:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+v.what,
			fmt.Sprintf("%s %s. Set a value with visible characters, or remove %s.", v.what, p, v.what))
	}
}

var blankPattern = regexp.MustCompile(`^\s*$`)

// nonBlank rejects empty and whitespace-only strings.
func nonBlank(s string) string {
	if blankPattern.MatchString(s) {
		return "must not be empty or only spaces"
	}
	return ""
}

// durationValidator accepts a positive Go duration up to max.
type durationValidator struct{ max time.Duration }

func (v durationValidator) Description(context.Context) string {
	return fmt.Sprintf("must be a positive Go duration such as \"30s\", at most %s", v.max)
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	if err != nil || d <= 0 || d > v.max {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%s must be a positive Go duration such as \"30s\" or \"2m\", at most %s; got %q.", req.Path, v.max, req.ConfigValue.ValueString()))
	}
}

// timeoutValidator accepts a positive Go duration in a timeouts attribute
// and reports a bad one at plan time on that attribute (timeouts.create),
// not on the block as the timeouts package does when the value is first
// used. timeoutsAttribute gives it to every resource.
type timeoutValidator struct{}

func (timeoutValidator) Description(context.Context) string {
	return "must be a positive Go duration such as \"30s\" or \"15m\""
}

func (v timeoutValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (timeoutValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	if d, err := time.ParseDuration(raw); err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid timeout",
			fmt.Sprintf("%s must be a positive duration such as \"30s\", \"15m\" or \"1h30m\" (a number "+
				"followed by s, m or h), got %q. Fix %s, or remove it for the default.", req.Path, raw, req.Path))
	}
}

// redirectURLValidator accepts an absolute https URL, or http on a loopback
// host for local development.
type redirectURLValidator struct{}

var _ validator.String = redirectURLValidator{}

func (redirectURLValidator) Description(context.Context) string {
	return "must be an absolute https URL (http only for localhost, 127.0.0.0/8 or ::1)"
}

func (v redirectURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (redirectURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	u, err := url.Parse(raw)
	ok := err == nil && u.Host != "" && seam.CheckSecureScheme(u) == nil
	if !ok {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid redirect URL",
			fmt.Sprintf("%s must be an absolute https URL such as \"https://app.example.com/butterflymx/connected\" "+
				"(plain http is accepted only for localhost, 127.0.0.0/8 and ::1), got %q.", req.Path, raw))
	}
}

// regexValidator rejects a name_regex that does not compile, at plan time.
type regexValidator struct{}

func (regexValidator) Description(context.Context) string {
	return "must be a valid RE2 regular expression"
}

func (v regexValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (regexValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := regexp.Compile(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid regular expression",
			fmt.Sprintf("%s is not a valid RE2 regular expression: %s. Fix the pattern (see https://github.com/google/re2/wiki/Syntax).",
				req.Path, err))
	}
}

// noSurroundingSpaceValidator rejects a secret or credential with leading or
// trailing whitespace, almost always a newline left by file(). Sent, a
// newline makes the HTTP header invalid and each request fail, after
// retries; at plan time it fails at once.
type noSurroundingSpaceValidator struct{}

var _ validator.String = noSurroundingSpaceValidator{}

func (noSurroundingSpaceValidator) Description(context.Context) string {
	return "must not start or end with whitespace"
}

func (v noSurroundingSpaceValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (noSurroundingSpaceValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if s := req.ConfigValue.ValueString(); s != strings.TrimSpace(s) {
		resp.Diagnostics.AddAttributeError(req.Path, "Secret has surrounding whitespace",
			fmt.Sprintf("%s starts or ends with whitespace (often a trailing newline from file()), which no server accepts "+
				"in a credential: every request would fail. Wrap it in trimspace(), for example trimspace(file(\"token.txt\")).", req.Path))
	}
}

// seamIDValidator rejects a value that is not a Seam id (a UUID) at plan time.
func seamIDValidator(what string) validator.String {
	return stringvalidator.RegexMatches(seamIDPattern,
		fmt.Sprintf("must be a Seam %s id (a UUID such as 3f6a0c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b)", what))
}

// customMetadataValidators reject metadata Seam would refuse, at plan time.
func customMetadataValidators() []validator.Map {
	return []validator.Map{
		mapvalidator.SizeAtMost(maxMetadataKeys),
		mapvalidator.KeysAre(stringvalidator.LengthAtLeast(1), nameValidator()),
		mapvalidator.ValueStringsAre(stringvalidator.LengthAtMost(maxMetadataValueLength), textValidator{}),
	}
}

// maxNameLength bounds names (access codes, shared codes, intercoms) and
// other free text the provider sends to Seam. Seam documents no maximum for
// these; 255 characters is longer than any sane name and keeps a runaway
// value (a file read by mistake) out of Seam and of the panels. A panel may
// allow less: the access code's plan checks its name_length constraint.
const maxNameLength = 255

// textValidator rejects text that would not show as written: longer than
// max characters (0: no bound), with control characters (NUL, newlines,
// escapes), or with bidirectional control characters that make a name
// display in an order other than the one stored (U+202A-U+202E,
// U+2066-U+2069). It never quotes the value.
type textValidator struct{ max int }

// nameValidator is the one check of every name-like attribute.
func nameValidator() textValidator { return textValidator{max: maxNameLength} }

var _ validator.String = textValidator{}

func (v textValidator) Description(context.Context) string {
	d := "must be plain text without control or bidirectional-override characters"
	if v.max > 0 {
		d += fmt.Sprintf(", at most %d characters", v.max)
	}
	return d
}

func (v textValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v textValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if summary, detail := v.problem(req.ConfigValue.ValueString()); summary != "" {
		resp.Diagnostics.AddAttributeError(req.Path, summary, fmt.Sprintf("%s %s", req.Path, detail))
	}
}

// problem returns a summary and the rest of a sentence that starts with the
// attribute's name, or "" when s is fine.
func (v textValidator) problem(s string) (summary, detail string) {
	if n := utf8.RuneCountInString(s); v.max > 0 && n > v.max {
		return "Value too long", fmt.Sprintf("is %d characters long; the provider accepts at most %d. Shorten it.", n, v.max)
	}
	for i, r := range []rune(s) {
		switch {
		case isBidiControl(r):
			return "Bidirectional control character", fmt.Sprintf("contains %U at character %d, which makes the text "+
				"display in another order than it is stored. Remove it (write the text in its natural order).", r, i+1)
		case unicode.IsControl(r):
			return "Control character", fmt.Sprintf("contains the control character %U at character %d (a NUL, newline, "+
				"tab or escape). Remove it; if the value comes from a file, wrap it in trimspace() or replace().", r, i+1)
		}
	}
	return "", ""
}

// isBidiControl reports the embedding, override and isolate characters of
// Unicode's bidirectional algorithm.
func isBidiControl(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}

// webhookURLValidator: Seam takes an absolute http(s) URL.
type webhookURLValidator struct{}

func (webhookURLValidator) Description(context.Context) string {
	return "an absolute http or https URL"
}
func (v webhookURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}
func (webhookURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	u, err := url.Parse(req.ConfigValue.ValueString())
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid webhook URL",
			fmt.Sprintf("url %q is not an absolute http or https URL. Give the receiver's full address, such as "+
				"https://hooks.example.com/seam.", req.ConfigValue.ValueString()))
	}
}

// eventTypeValidator: an event type Seam's spec lists, or "*".
type eventTypeValidator struct{}

func (eventTypeValidator) Description(context.Context) string {
	return "an event type of Seam's list, or \"*\" for every event"
}
func (v eventTypeValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}
func (eventTypeValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	et := req.ConfigValue.ValueString()
	if et == "*" || slices.Contains(seam.EventTypes, et) {
		return
	}
	prefix, _, _ := strings.Cut(et, ".")
	var near []string
	for _, t := range seam.EventTypes {
		if strings.HasPrefix(t, prefix+".") {
			near = append(near, t)
		}
	}
	hint := "Use \"*\" for every event, or one of Seam's event types such as access_code.set_on_device or device.disconnected."
	if len(near) > 0 {
		hint = "Event types starting with " + prefix + ".: " + strings.Join(near, ", ") + "."
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Unknown event type",
		fmt.Sprintf("event_types: %q is not an event type Seam sends. %s", et, hint))
}
