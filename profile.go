//go:build profile

package main

import (
	"fmt"
	"log"
	"os"
	"runtime/pprof"
)

// startProfile writes a CPU profile of this process to
// $BUTTERFLYMX_CPU_PROFILE.PID (the CLI starts several provider processes
// per run), for `make bench`. Only a binary built with -tags profile has
// it; it returns the function that finishes the profile.
func startProfile() func() {
	prefix := os.Getenv("BUTTERFLYMX_CPU_PROFILE")
	if prefix == "" {
		return func() {}
	}
	f, err := os.Create(fmt.Sprintf("%s.%d", prefix, os.Getpid())) //nolint:gosec // a path the developer chose, for profiling
	if err != nil {
		log.Printf("cpu profile: %v", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Printf("cpu profile: %v", err)
		_ = f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}
}
