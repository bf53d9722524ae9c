package seam

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"

	"golang.org/x/oauth2"
)

// OAuthConfig is a ButterflyMX OAuth client for the authorization-code flow
// with PKCE. The token it yields is handed to Seam by CreateConnectedAccount.
type OAuthConfig struct {
	ClientID     string
	ClientSecret string
	AuthURL      string
	TokenURL     string
	RedirectURL  string
	Scopes       []string
	HTTPClient   *http.Client // optional, for the token exchange
}

// ButterflyMXOAuthEndpoints returns the authorization and token URLs of a
// ButterflyMX environment: "sandbox" or "production".
func ButterflyMXOAuthEndpoints(environment string) (authURL, tokenURL string, err error) {
	var host string
	switch environment {
	case "sandbox":
		host = "https://accountssandbox.butterflymx.com"
	case "production":
		host = "https://accounts.butterflymx.com"
	default:
		return "", "", fmt.Errorf("butterflymx oauth: unknown environment %q (want \"sandbox\" or \"production\")", environment)
	}
	return host + "/oauth/authorize", host + "/oauth/token", nil
}

// GenerateVerifier returns a fresh PKCE code verifier. Keep it until the
// code comes back; it is as secret as the code.
func GenerateVerifier() string { return oauth2.GenerateVerifier() }

func (o OAuthConfig) config() *oauth2.Config {
	return &oauth2.Config{
		ClientID:     o.ClientID,
		ClientSecret: o.ClientSecret,
		Endpoint:     oauth2.Endpoint{AuthURL: o.AuthURL, TokenURL: o.TokenURL},
		RedirectURL:  o.RedirectURL,
		Scopes:       o.Scopes,
	}
}

// AuthCodeURL is the page where a ButterflyMX user authorizes the app. It
// carries the S256 challenge of verifier, never the verifier itself.
func (o OAuthConfig) AuthCodeURL(state, verifier string) string {
	return o.config().AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))
}

// Exchange trades an authorization code and its PKCE verifier for a token.
func (o OAuthConfig) Exchange(ctx context.Context, code, verifier string) (*OAuthToken, error) {
	if o.HTTPClient != nil {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, o.HTTPClient)
	}
	tok, err := o.config().Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		// oauth2's RetrieveError prints the raw reply body; report its
		// standard fields instead so nothing unexpected reaches a log.
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			msg := cmp.Or(re.ErrorCode, "no error code")
			if re.ErrorDescription != "" {
				msg += ": " + re.ErrorDescription
			}
			if re.Response != nil {
				msg = fmt.Sprintf("HTTP %d: %s", re.Response.StatusCode, msg)
			}
			return nil, fmt.Errorf("butterflymx oauth: code exchange failed: %s", msg)
		}
		return nil, fmt.Errorf("butterflymx oauth: code exchange failed: %w", err)
	}
	return &OAuthToken{
		AccessToken:  tok.AccessToken,
		RefreshToken: tok.RefreshToken,
		TokenType:    tok.Type(),
		ExpiresAt:    tok.Expiry.UTC(),
	}, nil
}
