package network

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// BuilderType is the chaincode package type govshare's external builder
// accepts: a package whose code is one prebuilt chaincode program.
const BuilderType = "govshare-binary"

func (a *Agency) buildChaincodeBuilder(ctx context.Context) error {
	program := filepath.Join(a.builderDir(), "govshare-ccbuilder")
	if !a.programIsFresh(program, "network/cmd/ccbuilder") {
		if err := a.goBuild(ctx, program, "./network/cmd/ccbuilder"); err != nil {
			return err
		}
	}
	for _, step := range []string{"detect", "build", "release", "run"} {
		name := "builders/govshare/bin/" + step
		if err := renderFile(name, filepath.Join(a.builderDir(), "bin", step), 0o755, map[string]string{"Program": program}); err != nil {
			return err
		}
	}
	return nil
}

// goBuild builds a main package of the source folder into out.
func (a *Agency) goBuild(ctx context.Context, out, pkg string) error {
	if a.opts.SourceDir == "" {
		return fmt.Errorf("build %s: no source folder given", pkg)
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", out, pkg)
	cmd.Dir = a.opts.SourceDir
	cmd.Env = append(cmd.Environ(), "CGO_ENABLED=0")
	if output, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %w: %s", pkg, err, lastLines(string(output), 10))
	}
	return nil
}

// programIsFresh reports whether a built program is newer than every source
// it can depend on in this repository: the given folders of the source
// tree, and go.mod and go.sum, which pin everything outside it. Then
// building it again would only relink the same program.
func (a *Agency) programIsFresh(program string, folders ...string) bool {
	built, err := os.Stat(program)
	if err != nil || a.opts.SourceDir == "" {
		return false
	}
	newer := false
	check := func(path string) {
		if info, err := os.Stat(path); err != nil || info.ModTime().After(built.ModTime()) {
			newer = true
		}
	}
	check(filepath.Join(a.opts.SourceDir, "go.mod"))
	check(filepath.Join(a.opts.SourceDir, "go.sum"))
	for _, folder := range folders {
		err = filepath.WalkDir(filepath.Join(a.opts.SourceDir, folder), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if newer {
				return filepath.SkipAll
			}
			if !d.IsDir() && strings.HasSuffix(path, ".go") {
				check(path)
			}
			return nil
		})
		if err != nil {
			return false
		}
	}
	return !newer
}

// packageFile is where the agency keeps the package of a chaincode.
func (a *Agency) packageFile(name string) string {
	return a.path("chaincode", "packages", name+".tar.gz")
}

// chaincodesOf returns the chaincodes of the channels the agency's
// organisation is a member of, one per name, in declaration order.
func (a *Agency) chaincodesOf() []*Chaincode {
	var out []*Chaincode
	seen := map[string]bool{}
	for _, ch := range a.Channels() {
		for _, cc := range ch.Chaincodes {
			if !seen[cc.Name] {
				seen[cc.Name] = true
				out = append(out, cc)
			}
		}
	}
	return out
}

// PackageChaincode builds every chaincode of the consortium's channels from
// the source folder and packages it for the external builder, replacing
// the packages the agency held. The programs are built at the same time. It
// returns the package files, which the agency may send to the others.
func (a *Agency) PackageChaincode(ctx context.Context) ([]string, error) {
	var chaincodes []*Chaincode
	seen := map[string]bool{}
	for _, ch := range a.Spec.Channels {
		for _, cc := range ch.Chaincodes {
			if !seen[cc.Name] {
				seen[cc.Name] = true
				chaincodes = append(chaincodes, cc)
			}
		}
	}
	files := make([]string, len(chaincodes))
	_, err := forEach(chaincodes, func(cc *Chaincode) (int, error) {
		path, err := a.buildPackage(ctx, cc)
		files[indexOf(chaincodes, cc)] = path
		return 0, err
	})
	return files, err
}

// buildPackage builds a chaincode program and packages it: a tar.gz holding
// metadata.json and code.tar.gz, which holds the program. The archives carry
// no times or owners, so the same program always makes the same package and
// the same package ID.
func (a *Agency) buildPackage(ctx context.Context, cc *Chaincode) (string, error) {
	program := a.path("chaincode", "programs", cc.Name)
	if !a.programIsFresh(program, "chaincode") {
		if err := a.goBuild(ctx, program, cc.Package); err != nil {
			return "", err
		}
	}
	binary, err := os.ReadFile(program)
	if err != nil {
		return "", fmt.Errorf("read built chaincode: %w", err)
	}
	code, err := tarGz([]tarEntry{{Name: "chaincode", Mode: 0o755, Data: binary}})
	if err != nil {
		return "", err
	}
	codeSum := sha256.Sum256(code)
	label := cc.Name + "_" + hex.EncodeToString(codeSum[:6])
	metadata, err := json.Marshal(packageMetadata{Type: BuilderType, Label: label})
	if err != nil {
		return "", fmt.Errorf("encode package metadata: %w", err)
	}
	pkg, err := tarGz([]tarEntry{{Name: "metadata.json", Mode: 0o644, Data: metadata}, {Name: "code.tar.gz", Mode: 0o644, Data: code}})
	if err != nil {
		return "", err
	}
	path := a.packageFile(cc.Name)
	return path, writeFile(path, pkg, 0o644)
}

type packageMetadata struct {
	Type  string `json:"type"`
	Label string `json:"label"`
}

// ImportPackage checks that a package file another agency sent is a
// govshare chaincode package of one of the agency's chaincodes and keeps it
// as that chaincode's package. It returns the chaincode's name.
func (a *Agency) ImportPackage(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read chaincode package: %w", err)
	}
	meta, err := readPackageMetadata(data)
	if err != nil {
		return "", fmt.Errorf("chaincode package %s: %w", path, err)
	}
	name, _, ok := strings.Cut(meta.Label, "_")
	if meta.Type != BuilderType || !ok {
		return "", fmt.Errorf("chaincode package %s is of type %q with label %q, not a govshare package (%s, label <name>_<hash>)", path, meta.Type, meta.Label, BuilderType)
	}
	for _, cc := range a.chaincodesOf() {
		if cc.Name == name {
			return name, writeFile(a.packageFile(name), data, 0o644)
		}
	}
	return "", fmt.Errorf("chaincode package %s is of %q, which runs on none of %s's channels", path, name, a.Org.Name)
}

func readPackageMetadata(pkg []byte) (*packageMetadata, error) {
	gz, err := gzip.NewReader(bytes.NewReader(pkg))
	if err != nil {
		return nil, fmt.Errorf("not a gzip archive: %w", err)
	}
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, errors.New("no metadata.json in the package")
		}
		if err != nil {
			return nil, fmt.Errorf("read package: %w", err)
		}
		if hdr.Name != "metadata.json" {
			continue
		}
		var meta packageMetadata
		if err := json.NewDecoder(io.LimitReader(tr, 1<<16)).Decode(&meta); err != nil {
			return nil, fmt.Errorf("read metadata.json: %w", err)
		}
		return &meta, nil
	}
}

type tarEntry struct {
	Name string
	Mode int64
	Data []byte
}

func tarGz(entries []tarEntry) ([]byte, error) {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.Name, Mode: e.Mode, Size: int64(len(e.Data)), Typeflag: tar.TypeReg, Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, fmt.Errorf("package %s: %w", e.Name, err)
		}
		if _, err := tw.Write(e.Data); err != nil {
			return nil, fmt.Errorf("package %s: %w", e.Name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("close package: %w", err)
	}
	if err := gz.Close(); err != nil {
		return nil, fmt.Errorf("close package: %w", err)
	}
	return buf.Bytes(), nil
}
