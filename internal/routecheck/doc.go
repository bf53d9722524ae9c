// Package routecheck holds the checks that compare the Seam client's route
// table (internal/seam) with the emulator (internal/emulator). Neither
// package imports the other, so the comparison lives here, in tests.
package routecheck
