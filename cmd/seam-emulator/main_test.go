package main

import (
	"io"
	"slices"
	"testing"
	"time"
)

func TestFlagsReachOptions(t *testing.T) {
	opts, listen, err := parseFlags([]string{"--listen", "127.0.0.1:4100", "--removal-lag", "90s",
		"--allow-host", "emulator.internal, ci-runner", "--allow-host", "other"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if listen != "127.0.0.1:4100" || opts.RemovalLag != 90*time.Second {
		t.Errorf("listen %q, RemovalLag %v", listen, opts.RemovalLag)
	}
	if want := []string{"emulator.internal", "ci-runner", "other"}; !slices.Equal(opts.AllowHosts, want) {
		t.Errorf("AllowHosts %q, want %q", opts.AllowHosts, want)
	}
	if opts, _, _ := parseFlags(nil, io.Discard); opts.RemovalLag != 0 || len(opts.AllowHosts) != 0 || opts.SetDelay != 3*time.Second {
		t.Errorf("defaults: %+v", opts)
	}
	if _, _, err := parseFlags([]string{"--removal-lag", "soon"}, io.Discard); err == nil {
		t.Error("an unparsable --removal-lag was accepted")
	}
}
