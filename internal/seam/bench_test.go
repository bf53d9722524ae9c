package seam_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/openintercom/terraform-provider-butterflymx/internal/emulator"
	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// The benchmarks run the client against the emulator over loopback HTTP, so
// they measure the client's encoding, decoding and pagination, plus the
// emulator, and print numbers only (`make bench`).

func benchClient(b *testing.B, srv *emulator.Server) *seam.Client {
	b.Helper()
	c, err := seam.New(seam.Config{Endpoint: srv.URL, APIKey: srv.APIKey})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func benchEmulator(b *testing.B) *emulator.Server {
	b.Helper()
	srv, err := emulator.Start(emulator.Options{Seed: "demo"}, "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })
	return srv
}

// BenchmarkListDevices lists 1,000 panels: two full pages of 500.
func BenchmarkListDevices(b *testing.B) {
	srv := benchEmulator(b)
	if _, err := srv.Emulator.AddPanels(emulator.DemoMapleCourtAccountID, 1000-6, "Bench panel"); err != nil {
		b.Fatal(err)
	}
	c := benchClient(b, srv)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range c.ListDevices(ctx, seam.DeviceFilter{DeviceTypes: []string{seam.DeviceTypeButterflyMXPanel}}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 1000 {
			b.Fatalf("listed %d panels, want 1000", n)
		}
	}
	b.ReportMetric(1000, "panels/op")
}

// BenchmarkAccessCodeLifecycle creates a code, waits for its action attempt,
// reads it and deletes it: the calls one Terraform create+destroy makes.
func BenchmarkAccessCodeLifecycle(b *testing.B) {
	srv := benchEmulator(b)
	c := benchClient(b, srv)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		pin := fmt.Sprintf("%06d", 100000+i%800000)
		name := "Bench " + pin
		code, attempt, err := c.CreateAccessCode(ctx, seam.AccessCodeCreate{DeviceID: emulator.DemoMapleCourtGarageID, Code: &pin, Name: &name})
		if err != nil {
			b.Fatal(err)
		}
		if attempt != nil {
			if _, err := c.WaitForActionAttempt(ctx, attempt.ActionAttemptID, 0); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := c.GetAccessCode(ctx, code.AccessCodeID); err != nil {
			b.Fatal(err)
		}
		if _, err := c.DeleteAccessCode(ctx, code.DeviceID, code.AccessCodeID); err != nil {
			b.Fatal(err)
		}
	}
}
