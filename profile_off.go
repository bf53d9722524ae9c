//go:build !profile

package main

// startProfile does nothing in the release build: the CPU profiling hook
// (BUTTERFLYMX_CPU_PROFILE) is only in binaries built with -tags profile,
// as `make bench` builds its own.
func startProfile() func() { return func() {} }
