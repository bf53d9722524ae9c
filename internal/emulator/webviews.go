package emulator

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

var connectWebviewKind = kind{
	name: "connect_webview",
	routes: map[string]route{
		"/connect_webviews/create": {methods: post, handle: (*Emulator).connectWebviewsCreate},
		"/connect_webviews/get":    {methods: read, handle: (*Emulator).connectWebviewsGet},
		"/connect_webviews/list":   {methods: read, handle: (*Emulator).connectWebviewsList},
		"/connect_webviews/delete": {methods: remove, handle: (*Emulator).connectWebviewsDelete},
	},
	load: loadConnectWebviews,
	save: func(s *store, doc *stateDoc) { doc.ConnectWebviews = sorted(s.webviews, nil) },
}

// The record.

type connectWebview struct {
	ConnectWebviewID              string         `json:"connect_webview_id"`
	WorkspaceID                   string         `json:"workspace_id"`
	CreatedAt                     time.Time      `json:"created_at"`
	URL                           string         `json:"url"`
	AcceptedProviders             []string       `json:"accepted_providers"`
	AcceptedCapabilities          []string       `json:"accepted_capabilities"`
	AnyProviderAllowed            bool           `json:"any_provider_allowed,omitempty"`
	AutomaticallyManageNewDevices bool           `json:"automatically_manage_new_devices"`
	WaitForDeviceCreation         bool           `json:"wait_for_device_creation,omitempty"`
	CustomMetadata                map[string]any `json:"custom_metadata,omitempty"`
	CustomRedirectURL             *string        `json:"custom_redirect_url,omitempty"`
	CustomRedirectFailureURL      *string        `json:"custom_redirect_failure_url,omitempty"`
	CustomerKey                   string         `json:"customer_key,omitempty"`
	DeviceSelectionMode           string         `json:"device_selection_mode,omitempty"`
	ConnectedAccountID            *string        `json:"connected_account_id,omitempty"` // set: authorized
	AuthorizedAt                  *time.Time     `json:"authorized_at,omitempty"`
	SelectedProvider              *string        `json:"selected_provider,omitempty"`
	Failed                        bool           `json:"failed,omitempty"` // the login failed: status failed
	seq                           int64
}

func (r *connectWebview) order() orderKey { return orderKey{r.CreatedAt, r.seq} }

// Providers a connect webview accepts (the accepted_providers enum), and
// the public categories that expand into them. ButterflyMX is in none of the
// public categories, only in internal_beta (every provider): SEAM_FACTS.md §3.
var (
	webviewProviders = []string{
		"akuvox", "august", "avigilon_alta", "brivo", "butterflymx", "schlage", "smartthings", "yale",
		"genie", "doorking", "salto", "salto_ks", "salto_space", "lockly", "ttlock", "linear", "noiseaware",
		"nuki", "seam_relay_admin", "igloo", "kwikset", "minut", "my_2n", "controlbyweb", "nest",
		"igloohome", "ecobee", "hubitat", "four_suites", "dormakaba_oracode", "pti", "wyze", "tedee",
		"honeywell_resideo", "latch", "akiles", "assa_abloy_credential_service", "assa_abloy_vostio",
		"visionline", "dormakaba_community", "dormakaba_ambiance", "legic_connect", "hotek", "sensi",
		"tado", "ultraloq", "keynest", "korelock", "yale_access", "hid_cm", "google_nest",
	}
	providerCategories = map[string][]string{
		"stable": {"august", "avigilon_alta", "brivo", "igloohome", "schlage", "smartthings", "yale",
			"my_2n", "controlbyweb", "nuki", "kwikset", "salto", "genie", "doorking", "akuvox", "lockly", "ttlock", "linear"},
		"consumer_smartlocks": {"august", "yale", "schlage", "kwikset", "nuki", "wyze", "lockly", "igloohome", "ttlock", "tedee"},
		"beta":                {"hubitat", "four_suites", "dormakaba_oracode", "ultraloq", "keynest", "korelock"},
		"thermostats":         {"ecobee", "nest", "honeywell_resideo", "sensi", "tado", "smartthings"},
		"noise_sensors":       {"minut", "noiseaware"},
		"access_control_systems": {"visionline", "assa_abloy_credential_service", "latch", "salto_ks",
			"assa_abloy_vostio", "salto_space", "dormakaba_ambiance", "dormakaba_community", "legic_connect", "hotek"},
		"internal_beta": webviewProviders,
	}
)

const webviewPagePath = "/connect_webviews/view"

type webviewViewT struct {
	ConnectWebviewID              string         `json:"connect_webview_id"`
	WorkspaceID                   string         `json:"workspace_id"`
	CreatedAt                     string         `json:"created_at"`
	URL                           string         `json:"url"`
	Status                        string         `json:"status"`
	LoginSuccessful               bool           `json:"login_successful"`
	ConnectedAccountID            *string        `json:"connected_account_id"`
	AuthorizedAt                  *string        `json:"authorized_at"`
	SelectedProvider              *string        `json:"selected_provider"`
	AcceptedProviders             []string       `json:"accepted_providers"`
	AcceptedCapabilities          []string       `json:"accepted_capabilities"`
	AnyProviderAllowed            bool           `json:"any_provider_allowed"`
	AutomaticallyManageNewDevices bool           `json:"automatically_manage_new_devices"`
	WaitForDeviceCreation         bool           `json:"wait_for_device_creation"`
	CustomMetadata                map[string]any `json:"custom_metadata"`
	CustomRedirectURL             *string        `json:"custom_redirect_url"`
	CustomRedirectFailureURL      *string        `json:"custom_redirect_failure_url"`
	DeviceSelectionMode           string         `json:"device_selection_mode"`
	CustomerKey                   *string        `json:"customer_key,omitempty"`
	// Deprecated in the SPEC, and still required there.
	AcceptedDevices  []string `json:"accepted_devices"`
	AnyDeviceAllowed bool     `json:"any_device_allowed"`
}

func webviewView(wv *connectWebview) webviewViewT {
	v := webviewViewT{
		ConnectWebviewID:              wv.ConnectWebviewID,
		WorkspaceID:                   wv.WorkspaceID,
		CreatedAt:                     ts(wv.CreatedAt),
		URL:                           wv.URL,
		Status:                        "pending",
		ConnectedAccountID:            wv.ConnectedAccountID,
		AuthorizedAt:                  tsPtr(wv.AuthorizedAt),
		SelectedProvider:              wv.SelectedProvider,
		AcceptedProviders:             slices.Clone(wv.AcceptedProviders),
		AcceptedCapabilities:          slices.Clone(wv.AcceptedCapabilities),
		AnyProviderAllowed:            wv.AnyProviderAllowed,
		AutomaticallyManageNewDevices: wv.AutomaticallyManageNewDevices,
		WaitForDeviceCreation:         wv.WaitForDeviceCreation,
		CustomMetadata:                copyMetadata(wv.CustomMetadata),
		CustomRedirectURL:             wv.CustomRedirectURL,
		CustomRedirectFailureURL:      wv.CustomRedirectFailureURL,
		DeviceSelectionMode:           wv.DeviceSelectionMode,
		AcceptedDevices:               []string{},
	}
	switch {
	case wv.ConnectedAccountID != nil:
		v.Status, v.LoginSuccessful = "authorized", true
	case wv.Failed:
		v.Status = "failed"
	}
	if wv.CustomerKey != "" {
		v.CustomerKey = new(wv.CustomerKey)
	}
	return v
}

func (e *Emulator) connectWebviewsCreate(c *call) (reply, error) {
	p := c.p
	providers, hasProviders, category, hasCategory := readWebviewProviders(p)
	caps, _ := readCapabilities(p)
	redirect := readURL(p, "custom_redirect_url")
	failure := readURL(p, "custom_redirect_failure_url")
	meta, _ := p.metadata("custom_metadata")
	auto, hasAuto := p.boolean("automatically_manage_new_devices")
	wait, _ := p.boolean("wait_for_device_creation")
	customerKey, _ := p.string("customer_key")
	mode, hasMode := p.oneOf("device_selection_mode", "none", "single", "multiple")
	excluded, _ := p.strings("excluded_providers")
	if err := p.err(); err != nil {
		return nil, err
	}
	if hasProviders && hasCategory {
		return nil, invalidInput("provider_category", "give accepted_providers or provider_category, not both")
	}
	wv := &connectWebview{
		ConnectWebviewID:              newID(),
		WorkspaceID:                   c.ws.WorkspaceID,
		CreatedAt:                     c.now,
		AcceptedProviders:             providers,
		AcceptedCapabilities:          caps,
		AutomaticallyManageNewDevices: !hasAuto || auto, // Seam's default is true
		WaitForDeviceCreation:         wait,
		CustomMetadata:                meta,
		CustomRedirectURL:             redirect,
		CustomRedirectFailureURL:      failure,
		CustomerKey:                   customerKey,
		DeviceSelectionMode:           "none",
		seq:                           e.nextSeq(),
	}
	if hasMode {
		wv.DeviceSelectionMode = mode
	}
	if wv.CustomRedirectFailureURL == nil {
		wv.CustomRedirectFailureURL = redirect
	}
	setAcceptedProviders(wv, hasProviders, category, hasCategory, excluded)
	if wv.AcceptedCapabilities == nil {
		wv.AcceptedCapabilities = []string{"lock"}
	}
	if wv.CustomMetadata == nil {
		wv.CustomMetadata = map[string]any{}
	}
	wv.URL = c.baseURL + webviewPagePath + "?" + url.Values{"connect_webview_id": {wv.ConnectWebviewID}}.Encode()
	e.webviews[wv.ConnectWebviewID] = wv
	return reply{"connect_webview": wv}, nil
}

// readWebviewProviders reads accepted_providers (each one Seam knows) and
// provider_category.
func readWebviewProviders(p *params) (providers []string, hasProviders bool, category string, hasCategory bool) {
	providers, hasProviders = p.strings("accepted_providers")
	for _, pr := range providers {
		if !slices.Contains(webviewProviders, pr) {
			p.fail("accepted_providers", "accepted_providers: %q is not a provider Seam knows (e.g. butterflymx, my_2n, akuvox)", pr)
		}
	}
	categories := make([]string, 0, len(providerCategories))
	for k := range providerCategories {
		categories = append(categories, k)
	}
	slices.Sort(categories)
	category, hasCategory = p.oneOf("provider_category", categories...)
	return providers, hasProviders, category, hasCategory
}

// setAcceptedProviders expands a category (or, with neither providers nor
// a category, the stable one) and drops the excluded providers.
func setAcceptedProviders(wv *connectWebview, hasProviders bool, category string, hasCategory bool, excluded []string) {
	switch {
	case hasCategory:
		wv.AcceptedProviders = slices.Clone(providerCategories[category])
	case !hasProviders:
		wv.AcceptedProviders = slices.Clone(providerCategories["stable"])
		wv.AnyProviderAllowed = true
	}
	wv.AcceptedProviders = slices.DeleteFunc(wv.AcceptedProviders, func(p string) bool { return slices.Contains(excluded, p) })
}

func readURL(p *params, key string) *string {
	s, ok := p.string(key)
	if !ok {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" {
		p.fail(key, "%s must be an absolute URL", key)
		return nil
	}
	return &s
}

func (e *Emulator) webview(c *call) (*connectWebview, error) {
	id := c.p.requiredString("connect_webview_id")
	if err := c.p.err(); err != nil {
		return nil, err
	}
	if wv := e.webviews[id]; wv != nil && wv.WorkspaceID == c.ws.WorkspaceID {
		return wv, nil
	}
	return nil, notFound("connect_webview")
}

func (e *Emulator) connectWebviewsGet(c *call) (reply, error) {
	wv, err := e.webview(c)
	if err != nil {
		return nil, err
	}
	return reply{"connect_webview": wv}, nil
}

func (e *Emulator) connectWebviewsDelete(c *call) (reply, error) {
	wv, err := e.webview(c)
	if err != nil {
		return nil, err
	}
	delete(e.webviews, wv.ConnectWebviewID)
	return reply{}, nil
}

type webviewFilter struct {
	CustomMetadataHas map[string]any `json:"custom_metadata_has,omitempty"`
	CustomerKey       string         `json:"customer_key,omitempty"`
}

func (e *Emulator) connectWebviewsList(c *call) (reply, error) {
	var f webviewFilter
	f.CustomMetadataHas, _ = c.p.metadata("custom_metadata_has")
	f.CustomerKey, _ = c.p.string("customer_key")
	pg, err := c.readPage(f, webviewsPageSize)
	if err != nil {
		return nil, err
	}
	all := sorted(e.webviews, func(wv *connectWebview) bool {
		return wv.WorkspaceID == c.ws.WorkspaceID &&
			(f.CustomMetadataHas == nil || metadataHas(wv.CustomMetadata, f.CustomMetadataHas)) &&
			(f.CustomerKey == "" || wv.CustomerKey == f.CustomerKey)
	})
	items, pagination := paginate(c, all, pg)
	return reply{"connect_webviews": items, "pagination": pagination}, nil
}

// authorizeWebview does what a person logging in to ButterflyMX in the
// webview would: it connects a ButterflyMX account, with its panels.
func (e *Emulator) authorizeWebview(id string, now time.Time) (*connectedAccount, error) {
	wv := e.webviews[id]
	switch {
	case wv == nil:
		return nil, fmt.Errorf("connect webview %q: %w", id, errNotFound)
	case wv.ConnectedAccountID != nil:
		return nil, fmt.Errorf("connect webview %q is already authorized", id)
	case wv.Failed:
		return nil, fmt.Errorf("connect webview %q has failed: a new login needs a new webview", id)
	case !wv.AnyProviderAllowed && !slices.Contains(wv.AcceptedProviders, "butterflymx"):
		return nil, fmt.Errorf("connect webview %q does not accept butterflymx (accepted_providers: %s)", id, strings.Join(wv.AcceptedProviders, ", "))
	}
	a := e.connectButterflyMX(e.workspaces[wv.WorkspaceID], accountLogin{meta: wv.CustomMetadata,
		autoManage: wv.AutomaticallyManageNewDevices, caps: slices.Clone(wv.AcceptedCapabilities),
		customerKey: wv.CustomerKey, waitForDevices: wv.WaitForDeviceCreation}, now)
	wv.ConnectedAccountID = new(a.ConnectedAccountID)
	wv.AuthorizedAt = new(now)
	wv.SelectedProvider = new("butterflymx")
	e.recordEvent(a.WorkspaceID, "connected_account.connected", a.ConnectedAccountID, now)
	return a, nil
}

// failWebview makes a pending webview's login fail (status failed), as a
// person who could not sign in to ButterflyMX leaves it.
func (e *Emulator) failWebview(id string) error {
	wv := e.webviews[id]
	switch {
	case wv == nil:
		return fmt.Errorf("connect webview %q: %w", id, errNotFound)
	case wv.ConnectedAccountID != nil:
		return fmt.Errorf("connect webview %q is already authorized", id)
	}
	wv.Failed = true
	return nil
}

// The login page at a webview's url: a button that stands for a ButterflyMX
// login. Like the control routes it answers loopback clients only.
var webviewPage = template.Must(template.New("webview").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Connect ButterflyMX (Seam emulator)</title></head>
<body style="font-family: sans-serif; max-width: 32em; margin: 4em auto">
<h1>Connect your ButterflyMX account</h1>
{{if .Authorized}}<p>Connected: account <code>{{.AccountID}}</code>. You can close this page.</p>
{{else}}<p>This is the Seam emulator's stand-in for the ButterflyMX login.</p>
<form method="post"><input type="hidden" name="connect_webview_id" value="{{.ID}}">
<button type="submit">Log in as a ButterflyMX property manager</button></form>{{end}}
</body></html>
`))

func (e *Emulator) serveWebviewPage(w http.ResponseWriter, r *http.Request) {
	if !isLoopback(r.RemoteAddr) {
		http.Error(w, "the emulator's webview page answers loopback clients only", http.StatusForbidden)
		return
	}
	id := r.FormValue("connect_webview_id")
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.clock.now()
	e.settle(now)
	wv := e.webviews[id]
	if wv == nil {
		http.Error(w, "connect webview not found", http.StatusNotFound)
		return
	}
	switch r.Method {
	case http.MethodGet:
	case http.MethodPost:
		if _, err := e.authorizeWebview(id, now); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		e.settle(now) // a first sync without delay
		if wv.CustomRedirectURL != nil {
			http.Redirect(w, r, *wv.CustomRedirectURL, http.StatusSeeOther)
			return
		}
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	data := struct {
		ID, AccountID string
		Authorized    bool
	}{ID: id, Authorized: wv.ConnectedAccountID != nil}
	if data.Authorized {
		data.AccountID = *wv.ConnectedAccountID
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = webviewPage.Execute(w, data)
}

func loadConnectWebviews(l *loader, doc *stateDoc) error {
	s := l.s
	for _, wv := range doc.ConnectWebviews {
		if err := l.inWorkspace(&wv.WorkspaceID, "connect webview "+wv.ConnectWebviewID); err != nil {
			return err
		}
		if wv.ConnectWebviewID == "" {
			wv.ConnectWebviewID = newID()
		}
		l.stamp(&wv.CreatedAt)
		wv.seq = s.nextSeq()
		s.webviews[wv.ConnectWebviewID] = wv
	}
	return nil
}
