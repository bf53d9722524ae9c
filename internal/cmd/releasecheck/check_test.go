package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// fakeDist describes a dist directory to write; each test case breaks one
// thing of a good one.
type fakeDist struct {
	version   string
	platforms []string          // os_arch of each zip
	extra     map[string]string // zip name -> an extra file it holds
	printed   string            // what the native binary prints for -version
	manifest  string
	sumsExtra string // an extra SHA256SUMS line
	tamper    string // a zip rewritten after the sums were taken
}

func goodDist() fakeDist {
	return fakeDist{
		version:   "1.2.3",
		platforms: []string{runtime.GOOS + "_" + runtime.GOARCH, "windows_amd64"},
		printed:   project + " 1.2.3",
		manifest:  `{"version": 1, "metadata": {"protocol_versions": ["6.0"]}}`,
	}
}

// write creates the dist in a temporary directory and returns it.
func (d fakeDist) write(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	var sums strings.Builder
	add := func(name string, content []byte) {
		writeFile(t, filepath.Join(dir, name), content)
		h := sha256.Sum256(content)
		fmt.Fprintf(&sums, "%s  %s\n", hex.EncodeToString(h[:]), name)
	}
	for _, p := range d.platforms {
		name := fmt.Sprintf("%s_%s_%s.zip", project, d.version, p)
		add(name, d.zip(t, p, name))
	}
	add(fmt.Sprintf("%s_%s_manifest.json", project, d.version), []byte(d.manifest))
	sums.WriteString(d.sumsExtra)
	writeFile(t, filepath.Join(dir, fmt.Sprintf("%s_%s_SHA256SUMS", project, d.version)), []byte(sums.String()))
	if d.tamper != "" {
		f, err := os.OpenFile(filepath.Join(dir, d.tamper), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.WriteString("one more byte after the sums")
		if err := errors.Join(err, f.Close()); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// zip returns a zip holding a binary for platform: for this machine a script
// that prints d.printed, elsewhere a placeholder nobody runs.
func (d fakeDist) zip(t *testing.T, platform, zipName string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	goos := strings.SplitN(platform, "_", 2)[0]
	bin := project + "_v" + d.version
	if goos == "windows" {
		bin += ".exe"
	}
	files := map[string]string{bin: "#!/bin/sh\necho '" + d.printed + "'\n"}
	if e, ok := d.extra[zipName]; ok {
		files[e] = "extra"
	}
	for name, content := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeFile(t *testing.T, path string, content []byte) {
	t.Helper()
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestCheckDist(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake native binary is a shell script")
	}
	native := runtime.GOOS + "_" + runtime.GOARCH
	nativeZip := fmt.Sprintf("%s_1.2.3_%s.zip", project, native)
	cases := []struct {
		name    string
		breakIt func(*fakeDist)
		require []string
		wantErr string // "" when the dist is good
	}{
		{name: "good", breakIt: func(*fakeDist) {}, require: []string{native, "windows_amd64"}},
		{name: "leading v", breakIt: func(d *fakeDist) { d.version = "v1.2.3" }, wantErr: "not semantic versioning"},
		{name: "unknown arch", breakIt: func(d *fakeDist) { d.platforms = append(d.platforms, "linux_x86") }, wantErr: "linux_x86.zip is not named"},
		{name: "required platform missing", breakIt: func(*fakeDist) {}, require: []string{"darwin_arm64"}, wantErr: "no zip for darwin_arm64"},
		{name: "manifest protocol", breakIt: func(d *fakeDist) {
			d.manifest = `{"version": 1, "metadata": {"protocol_versions": ["5.0"]}}`
		}, wantErr: "protocol_versions"},
		{name: "sum mismatch", breakIt: func(d *fakeDist) { d.tamper = nativeZip }, wantErr: "file has"},
		{name: "sums list a stranger", breakIt: func(d *fakeDist) {
			d.sumsExtra = strings.Repeat("a", 64) + "  notes.txt\n"
		}, wantErr: "lists notes.txt"},
		{name: "bad sums line", breakIt: func(d *fakeDist) { d.sumsExtra = "xyz notes.txt\n" }, wantErr: "is not \"SHA256  NAME\""},
		{name: "zip holds more", breakIt: func(d *fakeDist) { d.extra = map[string]string{nativeZip: "README.md"} }, wantErr: "want only"},
		{name: "binary reports another version", breakIt: func(d *fakeDist) { d.printed = project + " dev" }, wantErr: "-version printed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := goodDist()
			tc.breakIt(&d)
			report, err := checkDist(t.Context(), d.write(t), tc.require)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("a good dist failed: %v", err)
				}
				if !strings.Contains(report, "release 1.2.3: 2 zip(s)") {
					t.Errorf("report = %q", report)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}
