package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// apiError is a Seam error reply: {"error":{"type","message",...},"ok":false}.
type apiError struct {
	Status  int
	Type    string
	Message string
	Field   string // for invalid_input: the field, reported in validation_errors
	// RetryAfter, in seconds, goes in a Retry-After header (429).
	RetryAfter int
}

func (e *apiError) Error() string { return e.Type + ": " + e.Message }

func invalidInput(field, message string) *apiError {
	return &apiError{Status: 400, Type: "invalid_input", Message: message, Field: field}
}

// notFound is Seam's 404 for a kind of object, e.g. device_not_found.
func notFound(kind string) *apiError {
	name := strings.ReplaceAll(kind, "_", " ")
	return &apiError{Status: 404, Type: kind + "_not_found", Message: strings.ToUpper(name[:1]) + name[1:] + " not found"}
}

func notSupported(message string) *apiError {
	return &apiError{Status: 400, Type: "not_supported", Message: message}
}

// reply is a successful reply's keys; "ok": true is added. Values may be
// records (*device, []*accessCode...), which render turns into views.
type reply map[string]any

// call is one API request, authenticated and parsed.
type call struct {
	ws      *workspace // nil only on routes a PAT may call without a workspace
	p       *params
	now     time.Time
	baseURL string // e.g. http://127.0.0.1:4100, for URLs in replies
	path    string
}

type route struct {
	methods []string
	handle  func(*Emulator, *call) (reply, error)
	// patWithoutWorkspace lets a personal access token call the route with
	// no seam-workspace header (Seam allows it for workspaces/list).
	patWithoutWorkspace bool
}

// writes reports a route that may change something. Seam's spec lets every
// read take GET and no write, so the method table below is the one place
// that says which routes write.
func (rt route) writes() bool { return !slices.Contains(rt.methods, http.MethodGet) }

// RouteWrites reports whether the emulator serves the API route at path
// and whether it counts an accepted call to it as a write, so that a test
// outside this package can hold a client's idea of writes against it.
func RouteWrites(path string) (writes, served bool) {
	rt, ok := apiRoutes[path]
	return ok && rt.writes(), ok
}

// Methods per route, as in Seam's spec: everything takes POST; reads also
// GET, updates PATCH, deletes DELETE.
var (
	post     = []string{http.MethodPost}
	read     = []string{http.MethodGet, http.MethodPost}
	update   = []string{http.MethodPatch, http.MethodPost}
	remove   = []string{http.MethodDelete, http.MethodPost}
	postPut  = []string{http.MethodPost, http.MethodPut}
	patchPut = []string{http.MethodPatch, http.MethodPost, http.MethodPut}
)

// apiRoutes is every Seam route, from the registered kinds (kinds.go).
var apiRoutes = routeTable(kinds)

// ServeHTTP serves the Seam API, the control routes (/_emulator/, loopback
// only), the ButterflyMX OAuth routes and the connect webview login page.
// Every reply carries a seam-request-id header, and a Date on the emulated
// clock (net/http would send the machine's), as clients learn Seam's time
// from it.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := newID()
	w.Header().Set("seam-request-id", requestID)
	w.Header().Set("Date", e.Now().Format(http.TimeFormat))
	path := r.URL.Path
	switch {
	case strings.HasPrefix(path, "/_emulator/"):
		e.serveControl(w, r)
	case !e.hostAllowed(r.Host):
		// DNS rebinding: a web page whose name an attacker points at
		// 127.0.0.1 sends that name in Host, and must not reach the API
		// with the public demo key.
		writeResponse(w, errorResponse(&apiError{Status: http.StatusForbidden, Type: "forbidden",
			Message: fmt.Sprintf("Host %q is neither a loopback name or address nor the listen address; start the emulator with --allow-host to serve it", r.Host)}, requestID))
	case strings.HasPrefix(path, "/butterflymx/oauth/"):
		e.serveOAuth(w, r)
	case path == webviewPagePath && r.Method == http.MethodPost:
		// A login authorizes the webview and creates an account.
		e.countIfAccepted(w, func(w http.ResponseWriter) { e.serveWebviewPage(w, r) })
	case path == webviewPagePath:
		e.serveWebviewPage(w, r)
	default:
		rt, ok := apiRoutes[path]
		if !ok {
			// Plain text, not a JSON envelope, as Seam does: clients tell a
			// missing route from a missing object by this.
			http.Error(w, "Not Found", http.StatusNotFound)
			return
		}
		e.serveAPI(w, r, path, rt, requestID)
	}
}

// hostAllowed reports a Host header that names a loopback interface, the
// listen address or a host of Options.AllowHosts.
func (e *Emulator) hostAllowed(hostport string) bool {
	if isLoopbackHost(hostport) {
		return true
	}
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if e.listenHost != "" && strings.EqualFold(host, e.listenHost) {
		return true
	}
	return slices.ContainsFunc(e.opts.AllowHosts, func(a string) bool { return strings.EqualFold(a, host) })
}

// response is a reply ready to write.
type response struct {
	status     int
	body       []byte
	retryAfter int
}

func (e *Emulator) serveAPI(w http.ResponseWriter, r *http.Request, path string, rt route, requestID string) {
	if !slices.Contains(rt.methods, r.Method) {
		w.Header().Set("Allow", strings.Join(rt.methods, ", "))
		writeResponse(w, errorResponse(&apiError{Status: 405, Type: "method_not_allowed",
			Message: fmt.Sprintf("method %s is not allowed on %s; use %s", r.Method, path, strings.Join(rt.methods, " or "))}, requestID))
		return
	}
	e.countCall(path)

	fault := e.faults.pick()
	e.countFault(path, fault)
	var res response
	switch fault {
	case faultReset:
		resetConnection(w, requestID)
		return
	case faultSlow:
		// Processed at once, answered late: a client that gives up first
		// cannot know that its change happened.
		res = e.handleAPI(r, path, rt, requestID)
		time.Sleep(e.slowReply)
	case faultInternalAfter:
		// The request is processed, then the reply is lost: the case where a
		// client cannot know whether its create happened.
		e.handleAPI(r, path, rt, requestID)
		res = errorResponse(faultError(fault), requestID)
	case noFault:
		res = e.handleAPI(r, path, rt, requestID)
	default:
		res = errorResponse(faultError(fault), requestID)
	}
	if e.opts.Latency > 0 {
		time.Sleep(e.opts.Latency)
	}
	writeResponse(w, res)
}

func (e *Emulator) handleAPI(r *http.Request, path string, rt route, requestID string) response {
	p, paramsErr := readParams(r) // outside the lock: reading a body may be slow

	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.clock.now()
	e.settle(now)
	ws, authErr := e.authenticate(r, rt)
	if authErr != nil {
		return errorResponse(authErr, requestID)
	}
	if paramsErr != nil {
		return errorResponse(paramsErr, requestID)
	}
	c := &call{ws: ws, p: p, now: now, baseURL: baseURL(r), path: path}
	out, err := rt.handle(e, c)
	if err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			ae = &apiError{Status: 500, Type: "internal_server_error", Message: err.Error()}
		}
		res := errorResponse(ae, requestID)
		if ae.RetryAfter > 0 {
			res.retryAfter = ae.RetryAfter
		}
		return res
	}
	// Only an accepted write counts: a refusal (401, 400, 404, 409, 429)
	// changed nothing.
	if rt.writes() {
		e.stats.Writes++
	}
	// Zero-delay transitions (SetDelay 0) happen before the reply is drawn.
	e.settle(now)
	body := map[string]any{"ok": true}
	for k, v := range out {
		body[k] = e.render(v, now)
	}
	return jsonResponse(http.StatusOK, body)
}

// render turns records into their wire views; other values pass through.
func (e *Emulator) render(v any, now time.Time) any {
	switch v := v.(type) {
	case *workspace:
		return workspaceView(v)
	case []*workspace:
		return mapSlice(v, workspaceView)
	case *device:
		return e.anyDeviceView(v)
	case []*device:
		return mapSlice(v, e.anyDeviceView)
	case *connectedAccount:
		return e.accountView(v)
	case []*connectedAccount:
		return mapSlice(v, e.accountView)
	case *connectWebview:
		return webviewView(v)
	case []*connectWebview:
		return mapSlice(v, webviewView)
	case *accessCode:
		return e.anyCodeView(v)
	case []*accessCode:
		return mapSlice(v, e.anyCodeView)
	case *actionAttempt:
		return e.attemptView(v, now)
	case *credential:
		return credentialView(v)
	case []*credential:
		return mapSlice(v, credentialView)
	default:
		return v
	}
}

func mapSlice[T, V any](in []T, f func(T) V) []V {
	out := make([]V, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

// authenticate finds the workspace a request acts on: an API key names one;
// a personal access token reaches any, chosen by the seam-workspace header.
func (e *Emulator) authenticate(r *http.Request, rt route) (*workspace, *apiError) {
	unauthorized := func(msg string) *apiError { return &apiError{Status: 401, Type: "unauthorized", Message: msg} }
	header := r.Header.Get("Authorization")
	if header == "" {
		return nil, unauthorized("No Authorization header")
	}
	scheme, token, _ := strings.Cut(header, " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, unauthorized("No token provided: send Authorization: Bearer <api key>")
	}
	switch {
	case strings.HasPrefix(token, "seam_at"):
		if token != e.pat {
			return nil, unauthorized("Personal access token not found")
		}
		wsID := r.Header.Get("seam-workspace")
		if wsID == "" {
			if rt.patWithoutWorkspace {
				return nil, nil
			}
			return nil, unauthorized("A personal access token needs the seam-workspace header naming the workspace to act on")
		}
		ws := e.workspaces[wsID]
		if ws == nil {
			return nil, unauthorized(fmt.Sprintf("Workspace %q not found, or not reachable with this personal access token", wsID))
		}
		return ws, nil
	case strings.HasPrefix(token, "seam_cst"), strings.HasPrefix(token, "seam_pk"):
		return nil, unauthorized("Client session tokens and publishable keys are not accepted here: use an API key or a personal access token")
	case strings.HasPrefix(token, "seam_"):
		if ws := e.workspaces[e.apiKeys[token]]; ws != nil {
			return ws, nil
		}
		return nil, unauthorized("API Key not found")
	default:
		return nil, unauthorized("Unknown token: Seam API keys start with seam_")
	}
}

func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func errorResponse(err *apiError, requestID string) response {
	body := map[string]any{"type": err.Type, "message": err.Message, "request_id": requestID}
	if err.Field != "" {
		// Seam's (zod) shape: {"_errors": [], "<field>": {"_errors": [msg]}}.
		body["validation_errors"] = map[string]any{
			"_errors": []string{},
			err.Field: map[string]any{"_errors": []string{err.Message}},
		}
	}
	res := jsonResponse(err.Status, map[string]any{"error": body, "ok": false})
	res.retryAfter = err.RetryAfter
	return res
}

func jsonResponse(status int, body any) response {
	b, err := json.Marshal(body)
	if err != nil {
		b = []byte(`{"error":{"type":"internal_server_error","message":"could not encode the reply"},"ok":false}`)
		status = 500
	}
	return response{status: status, body: append(b, '\n')}
}

func writeResponse(w http.ResponseWriter, res response) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if res.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(res.retryAfter))
	}
	w.WriteHeader(res.status)
	_, _ = w.Write(res.body)
}

// Server is an emulator on a real listener.
type Server struct {
	URL         string // the API endpoint, e.g. http://127.0.0.1:41234
	APIKey      string // the first workspace's API key
	WorkspaceID string // the first workspace
	ControlURL  string // URL + "/_emulator"
	Emulator    *Emulator

	http *http.Server
}

// Start creates an emulator and serves it on listen ("127.0.0.1:0" when
// empty). It uses a real net.Listener (not httptest) so that the
// connection-reset fault really resets connections.
func Start(opts Options, listen string) (*Server, error) {
	if listen == "" {
		listen = "127.0.0.1:0"
	}
	e, err := New(opts)
	if err != nil {
		return nil, err
	}
	return serve(e, listen)
}

// serve puts an emulator on a listener.
func serve(e *Emulator, listen string) (*Server, error) {
	ln, err := new(net.ListenConfig).Listen(context.Background(), "tcp", listen)
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	// ReadTimeout bounds the body too: a client that stops sending cannot
	// hold a connection (and a handler) forever.
	addr, ok := ln.Addr().(*net.TCPAddr)
	if !ok {
		_ = ln.Close()
		return nil, fmt.Errorf("emulator: %s is not a TCP address", listen)
	}
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1" // listening everywhere; loopback is one of them
	} else {
		e.listenHost = host // before serving: requests read it unlocked
	}
	srv := &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: e.readTimeout}
	go func() { _ = srv.Serve(ln) }()
	url := "http://" + net.JoinHostPort(host, strconv.Itoa(addr.Port))
	s := &Server{URL: url, ControlURL: url + "/_emulator", Emulator: e, http: srv}
	s.WorkspaceID, s.APIKey = e.firstWorkspace()
	return s, nil
}

// Close stops the listener (waiting up to 5 s for requests in flight) and
// then closes the emulator, which saves the state file if one is set.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.http.Shutdown(ctx); err != nil {
		_ = s.http.Close()
	}
	return s.Emulator.Close()
}

// ReadyLine is the one JSON line the binary prints when it is ready.
func (s *Server) ReadyLine() string {
	b, _ := json.Marshal(struct {
		Endpoint    string `json:"endpoint"`
		APIKey      string `json:"api_key"`
		WorkspaceID string `json:"workspace_id"`
		Control     string `json:"control"`
	}{s.URL, s.APIKey, s.WorkspaceID, s.ControlURL})
	return string(b)
}

func (e *Emulator) firstWorkspace() (id, apiKey string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	all := sorted(e.workspaces, nil)
	if len(all) == 0 {
		return "", ""
	}
	if len(all[0].APIKeys) > 0 {
		apiKey = all[0].APIKeys[0]
	}
	return all[0].WorkspaceID, apiKey
}
