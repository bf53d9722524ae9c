// Command seam-emulator serves an in-memory Seam API (with ButterflyMX
// panels) and a ButterflyMX OAuth server, for the quickstart, tests and CI.
//
// It prints one JSON line on stdout when ready:
//
//	{"endpoint":"http://127.0.0.1:41234","api_key":"seam_...","workspace_id":"...","control":"http://127.0.0.1:41234/_emulator"}
//
// and runs until SIGINT or SIGTERM, saving --state if given.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
)

const usage = `Usage: seam-emulator [flags]

An in-memory Seam API with ButterflyMX intercom panels, plus a ButterflyMX
OAuth server (/butterflymx/oauth/authorize, /butterflymx/oauth/token).

When ready it prints one JSON line on stdout:
  {"endpoint": ..., "api_key": ..., "workspace_id": ..., "control": ...}
Point the provider at it with SEAM_ENDPOINT=<endpoint> SEAM_API_KEY=<api_key>.

Control routes (loopback clients and Host only, JSON bodies, no auth) live under <endpoint>/_emulator/:
authorize or fail a connect webview, change or delete an access code behind
the provider's back, take a panel offline, fail a panel's next code
programmings, list the codes a panel holds, disconnect an account, advance
the clock, reset, stats, list webhook deliveries. See the internal/emulator
package documentation.

Flags:
`

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "seam-emulator:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	opts, listen, err := parseFlags(args, stderr)
	if err != nil || opts == nil {
		return err
	}
	srv, err := emulator.Start(*opts, listen)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, srv.ReadyLine())

	logger := log.New(stderr, "seam-emulator: ", log.LstdFlags)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	sig := <-stop
	logger.Printf("%s: shutting down", sig)
	if err := srv.Close(); err != nil {
		return err
	}
	if opts.StateFile != "" {
		logger.Printf("state saved to %s", opts.StateFile)
	}
	return nil
}

// parseFlags reads the command line into emulator options and the listen
// address; nil options (and no error) after -h.
func parseFlags(args []string, stderr io.Writer) (*emulator.Options, string, error) {
	fs := flag.NewFlagSet("seam-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	v := defineFlags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, "", nil
		}
		return nil, "", err
	}
	if fs.NArg() > 0 {
		return nil, "", fmt.Errorf("unexpected arguments %q (see -h)", fs.Args())
	}
	if *v.rateLimit != "seam" && *v.rateLimit != "off" {
		return nil, "", fmt.Errorf("--rate-limit must be seam or off, got %q", *v.rateLimit)
	}
	return &emulator.Options{
		Seed:       *v.seed,
		Latency:    *v.latency,
		FaultRate:  *v.faultRate,
		SlowReply:  *v.slowReply,
		RateLimit:  *v.rateLimit == "seam",
		SetDelay:   *v.setDelay,
		RemovalLag: *v.removalLag,
		TimeScale:  *v.timeScale,
		StateFile:  *v.state,
		AllowHosts: *v.allowHosts,

		PendingDelay:         *v.pendingDelay,
		DuplicatePINConflict: *v.duplicate409,
		UnconfirmedUnlock:    *v.unconfirmedUnlock,
		IgnoreCommonCodeKey:  *v.ignoreKey,
		WebhookAnyHost:       *v.webhookAnyHost,
	}, *v.listen, nil
}

// flagValues holds the command line's flags once parsed.
type flagValues struct {
	listen            *string
	seed              *string
	latency           *time.Duration
	faultRate         *float64
	slowReply         *time.Duration
	rateLimit         *string
	setDelay          *time.Duration
	removalLag        *time.Duration
	allowHosts        *[]string
	pendingDelay      *time.Duration
	duplicate409      *bool
	unconfirmedUnlock *bool
	timeScale         *float64
	ignoreKey         *bool
	webhookAnyHost    *bool
	state             *string
}

// defineFlags declares the emulator's flags on fs.
func defineFlags(fs *flag.FlagSet) flagValues {
	var v flagValues
	v.listen = fs.String("listen", "127.0.0.1:0", "`address` to listen on; port 0 picks a free port")
	v.seed = fs.String("seed", "", "starting world: empty (one empty workspace), \"demo\" (two ButterflyMX properties,\n"+
		"six panels, a 2N intercom; fixed ids and API key "+emulator.DefaultAPIKey+"),\n"+
		"or the path of a JSON seed `file` (same format as --state)")
	v.latency = fs.Duration("latency", 0, "`delay` added to every API reply, e.g. 50ms")
	v.faultRate = fs.Float64("fault-rate", 0, "`fraction` (0..1) of API calls that fail: 500 (before or after processing), 502, 503,\n"+
		"429, connection reset, or a reply held for --slow-reply after processing")
	v.slowReply = fs.Duration("slow-reply", 2*time.Second, "`time` the slow-reply fault holds a reply (set it above the client's request timeout)")
	v.rateLimit = fs.String("rate-limit", "seam", "`mode`: \"seam\" applies Seam's per-device limits (10 code creations, 10 updates,\n"+
		"20 deletions, 15 unlocks per minute) with 429 and Retry-After; \"off\" disables them")
	v.setDelay = fs.Duration("set-delay", 3*time.Second, "emulated `time` an access code takes from setting to set (and removing to gone,\n"+
		"an action attempt from pending to done, an unmanaged code's conversion, a new account's first\n"+
		"sync and an account's deletion; a deletion leaves the panel this long after its action attempt); 0 is immediate")
	v.removalLag = fs.Duration("removal-lag", 0, "emulated `time` a deleted code stays removing after its action attempt succeeded\n"+
		"(and a time-bound code after its ends_at), on top of --set-delay, as when a panel confirms a removal late")
	v.allowHosts = hostsFlag(fs)
	v.pendingDelay = fs.Duration("pending-delay", 0, "emulated `time` an update of a set access code stays pending (pending_mutations)\n"+
		"while the code stays set and the old PIN may still open the door; 0 re-programs the code (setting) for --set-delay instead")
	v.duplicate409 = fs.Bool("duplicate-pin-409", false, "refuse a PIN another code on the panel holds with a synchronous 409 duplicate_access_code,\n"+
		"as Seam's fake does; by default the code is accepted and ends unset with duplicate_code_on_device")
	v.unconfirmedUnlock = fs.Bool("unconfirmed-unlock", false, "unlocks succeed with was_confirmed_by_device false (the panel did not confirm)")
	v.timeScale = fs.Float64("time-scale", 1, "emulated clock `speed`: 60 makes a real second an emulated minute")
	v.ignoreKey = fs.Bool("ignore-common-code-key", false, "drop a common_code_key a caller passes to /access_codes/create (only\n"+
		"create_multiple is documented to assign keys), to test clients against a Seam that keeps none")
	v.webhookAnyHost = fs.Bool("webhook-any-host", false, "deliver webhook events to any URL; by default only loopback URLs\n"+
		"(127.0.0.0/8, ::1, localhost) are reached and other deliveries are refused")
	v.state = fs.String("state", "", "state `file`: loaded at start if it exists (instead of --seed), saved on exit")
	return v
}

// hostsFlag is --allow-host: repeatable, each value a comma-separated list.
func hostsFlag(fs *flag.FlagSet) *[]string {
	var hosts []string
	fs.Func("allow-host", "a `host` name (no port) the API also answers for, besides loopback names and addresses and\n"+
		"the listen address; repeat it or separate names with commas. Other Host headers get 403 (DNS rebinding)", func(v string) error {
		for h := range strings.SplitSeq(v, ",") {
			if h = strings.TrimSpace(h); h != "" {
				hosts = append(hosts, h)
			}
		}
		return nil
	})
	return &hosts
}
