package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
)

// project is the name every release file starts with; the Registry requires
// terraform-provider-NAME.
const project = "terraform-provider-butterflymx"

// semver is the version the Registry accepts in file names (no leading v).
var semver = regexp.MustCompile(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)

// platform is one zip's os_arch, as the Registry names them.
var platform = regexp.MustCompile(`^(darwin|freebsd|linux|openbsd|solaris|windows)_(386|amd64|arm|arm64)$`)

// release is what checkDist found in a dist directory.
type release struct {
	dir, version string
	zips         []string // file names, sorted
}

// checkDist checks dir and returns a one-line summary, or every problem found.
func checkDist(ctx context.Context, dir string, required []string) (string, error) {
	r, err := findRelease(dir)
	if err != nil {
		return "", err
	}
	errs := []error{
		r.checkZipNames(required),
		r.checkManifest(),
		r.checkSums(),
	}
	for _, z := range r.zips {
		errs = append(errs, r.checkZipContent(z))
	}
	errs = append(errs, r.checkNativeVersion(ctx))
	if err := errors.Join(errs...); err != nil {
		return "", err
	}
	return fmt.Sprintf("release %s: %d zip(s), SHA256SUMS and manifest as the Terraform Registry expects; the %s binary reports its version",
		r.version, len(r.zips), runtime.GOOS+"_"+runtime.GOARCH), nil
}

// findRelease reads the version from the one SHA256SUMS file and lists the zips.
func findRelease(dir string) (*release, error) {
	sums, _ := filepath.Glob(filepath.Join(dir, project+"_*_SHA256SUMS"))
	if len(sums) != 1 {
		return nil, fmt.Errorf("%s: want exactly one %s_VERSION_SHA256SUMS, found %d", dir, project, len(sums))
	}
	version := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(sums[0]), project+"_"), "_SHA256SUMS")
	if !semver.MatchString(version) {
		return nil, fmt.Errorf("version %q in %s is not semantic versioning without a leading v", version, filepath.Base(sums[0]))
	}
	zips, _ := filepath.Glob(filepath.Join(dir, "*.zip"))
	r := &release{dir: dir, version: version}
	for _, z := range zips {
		r.zips = append(r.zips, filepath.Base(z))
	}
	slices.Sort(r.zips)
	if len(r.zips) == 0 {
		return nil, fmt.Errorf("%s: no zip", dir)
	}
	return r, nil
}

func (r *release) sumsName() string     { return project + "_" + r.version + "_SHA256SUMS" }
func (r *release) manifestName() string { return project + "_" + r.version + "_manifest.json" }

// platformOf returns os_arch of a zip named as the Registry expects, or "".
func (r *release) platformOf(zipName string) string {
	prefix := project + "_" + r.version + "_"
	if !strings.HasPrefix(zipName, prefix) || !strings.HasSuffix(zipName, ".zip") {
		return ""
	}
	p := strings.TrimSuffix(strings.TrimPrefix(zipName, prefix), ".zip")
	if !platform.MatchString(p) {
		return ""
	}
	return p
}

// checkZipNames checks every zip's name and that each required platform has one.
func (r *release) checkZipNames(required []string) error {
	var errs []error
	have := map[string]bool{}
	for _, z := range r.zips {
		p := r.platformOf(z)
		if p == "" {
			errs = append(errs, fmt.Errorf("zip %s is not named %s_%s_OS_ARCH.zip with a Registry OS and architecture", z, project, r.version))
		}
		have[p] = true
	}
	for _, p := range required {
		if p != "" && !have[p] {
			errs = append(errs, fmt.Errorf("no zip for %s (want %s_%s_%s.zip)", p, project, r.version, p))
		}
	}
	return errors.Join(errs...)
}

// checkManifest checks the manifest declares protocol 6.0, the protocol
// main.go serves, and that it is the repository's manifest.
func (r *release) checkManifest() error {
	b, err := os.ReadFile(filepath.Join(r.dir, r.manifestName()))
	if err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("manifest %s: %w", r.manifestName(), err)
	}
	if m.Version != 1 || !slices.Equal(m.Metadata.ProtocolVersions, []string{"6.0"}) {
		return fmt.Errorf("manifest %s: want version 1 and protocol_versions [\"6.0\"], got %s", r.manifestName(), bytes.TrimSpace(b))
	}
	return nil
}

// checkSums checks SHA256SUMS lists exactly the zips and the manifest, each
// with the sum of the file beside it.
func (r *release) checkSums() error {
	listed, err := readSums(filepath.Join(r.dir, r.sumsName()))
	if err != nil {
		return err
	}
	want := append(slices.Clone(r.zips), r.manifestName())
	var errs []error
	for _, name := range want {
		sum, ok := listed[name]
		if !ok {
			errs = append(errs, fmt.Errorf("%s does not list %s", r.sumsName(), name))
			continue
		}
		got, err := fileSum(filepath.Join(r.dir, name))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		} else if got != sum {
			errs = append(errs, fmt.Errorf("%s: sum %s in %s, file has %s", name, sum, r.sumsName(), got))
		}
	}
	for name := range listed {
		if !slices.Contains(want, name) {
			errs = append(errs, fmt.Errorf("%s lists %s, which is neither a zip nor the manifest", r.sumsName(), name))
		}
	}
	return errors.Join(errs...)
}

// readSums parses "SUM  NAME" lines, the format shasum and the Registry read.
func readSums(path string) (map[string]string, error) {
	b, err := os.ReadFile(path) //nolint:gosec // a file of the dist directory named on the command line
	if err != nil {
		return nil, err
	}
	sums := map[string]string{}
	for line := range strings.Lines(string(b)) {
		line = strings.TrimSuffix(line, "\n")
		sum, name, ok := strings.Cut(line, "  ")
		if _, err := hex.DecodeString(sum); !ok || err != nil || len(sum) != 64 || name == "" {
			return nil, fmt.Errorf("%s: line %q is not \"SHA256  NAME\"", filepath.Base(path), line)
		}
		sums[name] = sum
	}
	return sums, nil
}

// fileSum returns the hex SHA-256 of a file.
func fileSum(path string) (string, error) {
	b, err := os.ReadFile(path) //nolint:gosec // a file of the dist directory named on the command line
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// binaryName is the one file a zip for os holds.
func (r *release) binaryName(goos string) string {
	name := project + "_v" + r.version
	if goos == "windows" {
		name += ".exe"
	}
	return name
}

// checkZipContent checks a zip holds the provider binary and nothing else.
func (r *release) checkZipContent(zipName string) error {
	p := r.platformOf(zipName)
	if p == "" {
		return nil // reported by checkZipNames
	}
	zr, err := zip.OpenReader(filepath.Join(r.dir, zipName))
	if err != nil {
		return fmt.Errorf("%s: %w", zipName, err)
	}
	defer func() { _ = zr.Close() }()
	want := r.binaryName(strings.SplitN(p, "_", 2)[0])
	if len(zr.File) != 1 || zr.File[0].Name != want {
		names := make([]string, 0, len(zr.File))
		for _, f := range zr.File {
			names = append(names, f.Name)
		}
		return fmt.Errorf("%s holds %v, want only %s", zipName, names, want)
	}
	return nil
}

// checkNativeVersion runs the binary from this machine's zip with -version.
func (r *release) checkNativeVersion(ctx context.Context) error {
	p := runtime.GOOS + "_" + runtime.GOARCH
	zipName := project + "_" + r.version + "_" + p + ".zip"
	if !slices.Contains(r.zips, zipName) {
		return fmt.Errorf("no zip for this machine (%s) to run", p)
	}
	bin, err := extract(filepath.Join(r.dir, zipName), r.binaryName(runtime.GOOS))
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(filepath.Dir(bin)) }()
	out, err := exec.CommandContext(ctx, bin, "-version").Output() //nolint:gosec // the binary under test
	if err != nil {
		return fmt.Errorf("%s -version: %w", filepath.Base(bin), err)
	}
	if want := project + " " + r.version; strings.TrimSpace(string(out)) != want {
		return fmt.Errorf("%s -version printed %q, want %q", filepath.Base(bin), strings.TrimSpace(string(out)), want)
	}
	return nil
}

// extract copies one file out of a zip into a new temporary directory and
// returns its path.
func extract(zipPath, name string) (string, error) {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return "", err
	}
	defer func() { _ = zr.Close() }()
	src, err := zr.Open(name)
	if err != nil {
		return "", fmt.Errorf("%s: %w", filepath.Base(zipPath), err)
	}
	defer func() { _ = src.Close() }()
	dir, err := os.MkdirTemp("", "releasecheck")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, name)
	if err := copyExecutable(path, src); err != nil {
		_ = os.RemoveAll(dir)
		return "", err
	}
	return path, nil
}

// copyExecutable writes src to a new executable file at path.
func copyExecutable(path string, src io.Reader) error {
	dst, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o755) //nolint:gosec // an executable on purpose
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, src)
	return errors.Join(err, dst.Close())
}
