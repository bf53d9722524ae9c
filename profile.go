//go:build profile

package main

import (
	"fmt"
	"log"
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"time"
)

// startProfile writes a CPU profile of this process to
// $BUTTERFLYMX_CPU_PROFILE.PID (the CLI starts several provider processes
// per run), for `make bench`. Only a binary built with -tags profile has
// it; it returns the function that finishes the profile.
func startProfile() func() {
	if prefix := os.Getenv("BUTTERFLYMX_HEAP_PROFILE"); prefix != "" {
		go watchHeap(fmt.Sprintf("%s.%d", prefix, os.Getpid()))
	}
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

// watchHeap writes a heap profile to file each time the heap reaches a new
// high (by a tenth), so that the file left holds the profile nearest the
// process's peak: what a peak RSS is made of. file.live gets the largest
// live heap the garbage collector saw (what a peak could shrink to with
// more frequent collections) and the most goroutines at once.
func watchHeap(file string) {
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"},
		{Name: "/sched/goroutines:goroutines"}}
	var high, live, goroutines uint64
	for range time.Tick(100 * time.Millisecond) {
		metrics.Read(samples)
		if l, g := samples[1].Value.Uint64(), samples[2].Value.Uint64(); l > live || g > goroutines {
			live, goroutines = max(live, l), max(goroutines, g)
			_ = os.WriteFile(file+".live", []byte(fmt.Sprintf("live heap %d bytes, %d goroutines\n", live, goroutines)), 0o600)
		}
		if now := samples[0].Value.Uint64(); now > high+high/10 {
			high = now
			f, err := os.Create(file) //nolint:gosec // a path the developer chose, for profiling
			if err != nil {
				return
			}
			_ = pprof.Lookup("heap").WriteTo(f, 0)
			_ = f.Close()
		}
	}
}
