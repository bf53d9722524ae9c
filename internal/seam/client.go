package seam

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// DefaultEndpoint is Seam's production API.
const DefaultEndpoint = "https://connect.getseam.com"

const (
	defaultUserAgent      = "terraform-provider-butterflymx"
	defaultRequestTimeout = 30 * time.Second
	defaultRetryWaitMin   = 500 * time.Millisecond
	defaultRetryWaitMax   = 30 * time.Second
)

// Logger receives one line per request and per response. fields never hold
// a credential, a PIN or a request body. The provider plugs tflog in here.
type Logger func(ctx context.Context, msg string, fields map[string]any)

// Config configures a Client. Exactly one of APIKey and PersonalAccessToken
// must be set; a personal access token also needs WorkspaceID.
type Config struct {
	Endpoint            string // default DefaultEndpoint; a trailing slash is tolerated
	APIKey              string // sent as a Bearer token
	PersonalAccessToken string // sent as a Bearer token, with the seam-workspace header
	WorkspaceID         string // the seam-workspace header; required with PersonalAccessToken
	UserAgent           string // full User-Agent; default "terraform-provider-butterflymx"

	MaxRetries     int           // attempts after the first; negative means 0
	RequestTimeout time.Duration // per attempt; 0 means 30s

	// HTTPClient is an optional base client; its Transport is wrapped to add
	// authentication and headers.
	HTTPClient *http.Client
	Logger     Logger

	// Backoff bounds between retries; 0 means 500ms and 30s.
	RetryWaitMin, RetryWaitMax time.Duration

	// RateLimitWindow is the window of Seam's per-device write limits that
	// the client paces itself to: 0 means DefaultRateLimitWindow, negative
	// turns pacing off. Shorter windows suit an emulator whose clock runs
	// faster (a window of 1s for --time-scale 60).
	RateLimitWindow time.Duration
	// OnDeviceWrite, when set, is called for each device a write acted on,
	// after the write and whatever its outcome, with what the write changes
	// there (the route table says), so callers can drop what they cached.
	OnDeviceWrite func(deviceID string, change DeviceChange)
	// MaxPageSize, when positive, caps the page every list asks for (the
	// caller's limit, or Seam's default when it gives none). Tests use a
	// small page to cover pagination with a few objects instead of hundreds.
	MaxPageSize int
}

// Client calls the Seam API. It is safe for concurrent use.
type Client struct {
	endpoint   string
	http       *http.Client
	token      string // kept only to scrub it from anything a server echoes
	logger     Logger
	maxRetries int
	timeout    time.Duration
	waitMin    time.Duration
	waitMax    time.Duration

	limiter       *writeLimiter // nil when pacing is off
	onDeviceWrite func(deviceID string, change DeviceChange)
	clock         serverClock // Seam's clock, from the Date of replies
	maxPageSize   int         // 0: no cap
}

// New checks cfg and builds a Client. Its errors never contain a credential.
func New(cfg Config) (*Client, error) {
	token, err := pickToken(cfg)
	if err != nil {
		return nil, err
	}
	endpoint, err := normalizeEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}

	c := &Client{
		endpoint:   endpoint,
		token:      token,
		logger:     cfg.Logger,
		maxRetries: max(cfg.MaxRetries, 0),
		timeout:    positiveOr(cfg.RequestTimeout, defaultRequestTimeout),
		waitMin:    positiveOr(cfg.RetryWaitMin, defaultRetryWaitMin),
		waitMax:    positiveOr(cfg.RetryWaitMax, defaultRetryWaitMax),

		limiter:       newWriteLimiter(rateLimitWindow(cfg.RateLimitWindow)),
		onDeviceWrite: cfg.OnDeviceWrite,
		maxPageSize:   max(cfg.MaxPageSize, 0),
	}
	if c.waitMax < c.waitMin {
		c.waitMax = c.waitMin
	}

	var base http.Client
	if cfg.HTTPClient != nil {
		base = *cfg.HTTPClient
	}
	headers := map[string]string{
		"User-Agent":    cmp.Or(cfg.UserAgent, defaultUserAgent),
		"seam-sdk-name": defaultUserAgent,
	}
	if cfg.PersonalAccessToken != "" {
		headers["seam-workspace"] = cfg.WorkspaceID
	}
	base.Transport = &oauth2.Transport{
		Source: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token, TokenType: "Bearer"}),
		Base:   &headerTransport{headers: headers, base: base.Transport},
	}
	// oauth2.Transport authorizes every request it sees, redirects included,
	// so following a redirect could hand the key to another host. Seam does
	// not redirect API calls; a 3xx surfaces as an APIError instead.
	base.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.http = &base
	return c, nil
}

// Endpoint is the API base URL in use, without a trailing slash.
func (c *Client) Endpoint() string { return c.endpoint }

func pickToken(cfg Config) (string, error) {
	switch {
	case cfg.APIKey != "" && cfg.PersonalAccessToken != "":
		return "", errors.New("seam: both an API key and a personal access token are set; use exactly one")
	case cfg.APIKey != "":
		return cfg.APIKey, nil
	case cfg.PersonalAccessToken != "":
		if cfg.WorkspaceID == "" {
			return "", errors.New("seam: a personal access token needs a workspace ID (sent as the seam-workspace header)")
		}
		return cfg.PersonalAccessToken, nil
	default:
		return "", errors.New("seam: no credentials: set an API key, or a personal access token with a workspace ID")
	}
}

// normalizeEndpoint accepts https anywhere and plain http only on loopback,
// so a key never crosses a network in clear text.
func normalizeEndpoint(raw string) (string, error) {
	if raw == "" {
		return DefaultEndpoint, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("seam: endpoint %q is not a URL: %w", raw, err)
	}
	switch {
	case u.Host == "":
		return "", fmt.Errorf("seam: endpoint %q has no host", raw)
	case u.User != nil:
		return "", errors.New("seam: endpoint must not carry credentials; set the API key instead")
	case u.RawQuery != "" || u.Fragment != "":
		return "", fmt.Errorf("seam: endpoint %q must not have a query or fragment", raw)
	}
	if err := CheckSecureScheme(u); err != nil {
		return "", fmt.Errorf("seam: endpoint: %w", err)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// CheckSecureScheme is the one rule for every URL a credential, token or code
// is sent to or redirected through: https, or plain http on a loopback host
// (localhost, 127.0.0.0/8, ::1) such as the emulator, so a secret never
// crosses a network in clear text. Its errors name only the scheme and host:
// a mistyped URL may carry a credential in its user info or query.
func CheckSecureScheme(u *url.URL) error {
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopbackHost(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("http://%s uses plain http, which is only allowed for loopback hosts (localhost, 127.0.0.0/8, ::1)", u.Host)
	default:
		return fmt.Errorf("%s://%s must use https", u.Scheme, u.Host)
	}
}

// isLoopbackHost reports whether host is localhost (any case, as DNS names
// are) or a loopback IP address.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// headerTransport adds the fixed headers every Seam call carries.
type headerTransport struct {
	headers map[string]string
	base    http.RoundTripper
}

func (t *headerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// The oauth2 transport above already cloned req, so setting headers here
	// does not touch the caller's request.
	for k, v := range t.headers {
		req.Header.Set(k, v)
	}
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	return base.RoundTrip(req)
}

func (c *Client) log(ctx context.Context, msg string, fields map[string]any) {
	if c.logger != nil {
		c.logger(ctx, msg, fields)
	}
}

// positiveOr returns d, or def when d is not positive: cmp.Or would keep a
// negative duration, which means "unset" here as zero does.
func positiveOr(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
