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
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// A backup of an agency is its whole folder, taken while every node of the
// agency is stopped: keys and certificates, the CA's database, the
// definitions it accepted, and each node's ledger (a peer's block files,
// state, history and private data; an orderer's block files, Raft WAL and
// snapshots). Fabric's ledgers are consistent on disk only when their node
// is stopped, so a running agency is refused. The archive is a
// gzip-compressed tar whose last entry, backupManifestName, lists every
// file with its size and SHA-256; a restore checks each against it.
//
// Pidfiles and logs are left out: they describe processes, not the node.

// backupManifestName is the archive entry that lists the backup's files.
const backupManifestName = "govshare-backup.json"

// BackupManifest describes a backup.
type BackupManifest struct {
	Organization string `json:"organization"`
	// Folder is the agency's folder when the backup was taken; a restore
	// elsewhere rewrites the configuration files that name it.
	Folder  string       `json:"folder"`
	Created time.Time    `json:"created"`
	Files   []BackupFile `json:"files"`
}

// BackupFile is one file of a backup.
type BackupFile struct {
	Path   string `json:"path"` // slash-separated, relative to the folder
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Bytes returns the total size of the backup's files.
func (m *BackupManifest) Bytes() int64 {
	var n int64
	for _, f := range m.Files {
		n += f.Size
	}
	return n
}

// runningNodes returns the IDs of the agency's nodes that run.
func (a *Agency) runningNodes() []string {
	var running []string
	for _, p := range a.processes() {
		if p.PID() != 0 {
			running = append(running, p.Name)
		}
	}
	for _, p := range a.Peers {
		if len(programsUnder(a.peerDataDir(p))) > 0 {
			running = append(running, "chaincode of "+p.ID())
		}
	}
	return running
}

// Backup writes a backup of the agency's folder to w. Every node of the
// agency must be stopped (`govnet org stop`): it refuses otherwise,
// naming the nodes that run.
func (a *Agency) Backup(ctx context.Context, w io.Writer) (*BackupManifest, error) {
	if running := a.runningNodes(); len(running) > 0 {
		return nil, fmt.Errorf("back up %s: stop the agency first (govnet org stop); still running: %s", a.Org.Name, strings.Join(running, ", "))
	}
	m := &BackupManifest{Organization: a.Org.Name, Folder: a.Dir(), Created: time.Now().UTC()}
	gz, err := gzip.NewWriterLevel(w, gzip.BestSpeed) // ledgers are large; a backup is taken while the agency is down
	if err != nil {
		return nil, err
	}
	tw := tar.NewWriter(gz)
	err = filepath.WalkDir(a.Dir(), func(file string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(a.Dir(), file)
		if err != nil || rel == "." {
			return err
		}
		name := filepath.ToSlash(rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: int64(info.Mode().Perm()), ModTime: info.ModTime()})
		case !info.Mode().IsRegular():
			return fmt.Errorf("%s is neither a file nor a folder: an agency folder holds only those", file)
		case excludedFromBackup(name):
			return nil
		}
		f, err := backupFile(tw, file, name, info)
		if err != nil {
			return err
		}
		m.Files = append(m.Files, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("back up %s: %w", a.Org.Name, err)
	}
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: backupManifestName, Mode: 0o644, Size: int64(len(manifest)), ModTime: m.Created}); err != nil {
		return nil, err
	}
	if _, err := tw.Write(manifest); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("back up %s: %w", a.Org.Name, err)
	}
	if err := gz.Close(); err != nil {
		return nil, fmt.Errorf("back up %s: %w", a.Org.Name, err)
	}
	return m, nil
}

// excludedFromBackup reports whether a file of the folder is left out of
// a backup: the pidfiles and logs of the node processes.
func excludedFromBackup(name string) bool {
	dir, base := path.Split(name)
	return strings.HasPrefix(dir, "nodes/") && strings.Count(dir, "/") == 2 && (base == "node.pid" || base == "node.log")
}

// backupFile copies one file into the archive and returns its entry.
func backupFile(tw *tar.Writer, file, name string, info fs.FileInfo) (BackupFile, error) {
	in, err := os.Open(file)
	if err != nil {
		return BackupFile{}, err
	}
	defer in.Close()
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: int64(info.Mode().Perm()), Size: info.Size(), ModTime: info.ModTime()}); err != nil {
		return BackupFile{}, err
	}
	sum := sha256.New()
	n, err := io.Copy(io.MultiWriter(tw, sum), in)
	if err != nil {
		return BackupFile{}, fmt.Errorf("copy %s: %w", file, err)
	}
	if n != info.Size() {
		return BackupFile{}, fmt.Errorf("%s changed while it was copied", file)
	}
	return BackupFile{Path: name, Size: n, SHA256: hex.EncodeToString(sum.Sum(nil))}, nil
}

// RestoreAgency restores a backup into dir, which must not exist or be
// empty, and returns its manifest. Every file is checked against the
// manifest; a backup that does not match it, or holds a path outside the
// folder, is refused and nothing is left in dir. When dir is not the
// folder the backup was taken of, the configuration files that name that
// folder (the external builder's scripts, the CA clients' configurations)
// are rewritten to name dir; the nodes' own configuration is rendered
// again at their next start. `govnet org start -dir DIR` then starts the
// agency's nodes, which catch up with the blocks ordered since the backup.
func RestoreAgency(ctx context.Context, archive io.Reader, dir string) (*BackupManifest, error) {
	dir, err := resolvePath(dir)
	if err != nil {
		return nil, err
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("restore into %s: the folder is not empty", dir)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("restore into %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("restore into %s: %w", dir, err)
	}
	m, err := extractBackup(ctx, archive, dir)
	if err == nil {
		err = relocate(m, dir)
	}
	if err != nil {
		_ = clearFolder(dir)
		return nil, fmt.Errorf("restore into %s: %w", dir, err)
	}
	return m, nil
}

// extractBackup writes the archive's files into dir and checks them
// against its manifest.
func extractBackup(ctx context.Context, archive io.Reader, dir string) (*BackupManifest, error) {
	gz, err := gzip.NewReader(archive)
	if err != nil {
		return nil, fmt.Errorf("not a backup: %w", err)
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	got := map[string]BackupFile{}
	var m *BackupManifest
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read backup: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if m != nil {
			return nil, fmt.Errorf("read backup: %s after the manifest", h.Name)
		}
		if h.Name == backupManifestName {
			m = &BackupManifest{}
			if err := json.NewDecoder(tr).Decode(m); err != nil {
				return nil, fmt.Errorf("read backup manifest: %w", err)
			}
			continue
		}
		target, err := backupTarget(dir, h.Name)
		if err != nil {
			return nil, err
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, fs.FileMode(h.Mode).Perm()|0o700); err != nil {
				return nil, err
			}
		case tar.TypeReg:
			f, err := restoreFile(tr, target, h)
			if err != nil {
				return nil, err
			}
			got[f.Path] = f
		default:
			return nil, fmt.Errorf("read backup: %s is neither a file nor a folder", h.Name)
		}
	}
	if m == nil {
		return nil, errors.New("the backup has no manifest: incomplete or not a govshare backup")
	}
	for _, want := range m.Files {
		have, ok := got[want.Path]
		switch {
		case !ok:
			return nil, fmt.Errorf("the backup lacks %s", want.Path)
		case have != want:
			return nil, fmt.Errorf("%s in the backup does not match its manifest (size %d, SHA-256 %s; want %d, %s)", want.Path, have.Size, have.SHA256, want.Size, want.SHA256)
		}
		delete(got, want.Path)
	}
	if len(got) > 0 {
		extra := make([]string, 0, len(got))
		for p := range got {
			extra = append(extra, p)
		}
		slices.Sort(extra)
		return nil, fmt.Errorf("the backup holds files its manifest does not list: %s", strings.Join(extra, ", "))
	}
	return m, nil
}

// backupTarget returns where an archive entry goes in dir; an entry whose
// name leaves the folder is refused.
func backupTarget(dir, name string) (string, error) {
	clean := path.Clean(strings.TrimSuffix(name, "/"))
	if !fs.ValidPath(clean) || clean == "." {
		return "", fmt.Errorf("read backup: %q is not a path inside the folder", name)
	}
	return filepath.Join(dir, filepath.FromSlash(clean)), nil
}

// restoreFile writes one archive entry to target and returns what it
// wrote.
func restoreFile(r io.Reader, target string, h *tar.Header) (BackupFile, error) {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return BackupFile{}, err
	}
	out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fs.FileMode(h.Mode).Perm())
	if err != nil {
		return BackupFile{}, err
	}
	sum := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, sum), r)
	if err == nil {
		err = out.Sync()
	}
	if closeErr := out.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return BackupFile{}, fmt.Errorf("write %s: %w", target, err)
	}
	if err := os.Chtimes(target, h.ModTime, h.ModTime); err != nil {
		return BackupFile{}, err
	}
	return BackupFile{Path: path.Clean(h.Name), Size: n, SHA256: hex.EncodeToString(sum.Sum(nil))}, nil
}

// relocate rewrites, in a folder restored from m to dir, the text files
// that name the folder the backup was taken of. Ledgers (the nodes' data)
// never name it and are not read.
func relocate(m *BackupManifest, dir string) error {
	if m.Folder == "" || m.Folder == dir {
		return nil
	}
	old := regexp.MustCompile(regexp.QuoteMeta(m.Folder) + `(/|$|[^A-Za-z0-9._+-])`)
	for _, f := range m.Files {
		if f.Size > 1<<20 || isNodeData(f.Path) {
			continue
		}
		file := filepath.Join(dir, filepath.FromSlash(f.Path))
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		if bytes.IndexByte(data, 0) >= 0 || !old.Match(data) {
			continue
		}
		info, err := os.Stat(file)
		if err != nil {
			return err
		}
		moved := old.ReplaceAll(data, []byte(strings.ReplaceAll(dir, "$", "$$")+"${1}"))
		if err := os.WriteFile(file, moved, info.Mode().Perm()); err != nil {
			return fmt.Errorf("rewrite %s for its new folder: %w", file, err)
		}
	}
	return nil
}

// isNodeData reports whether a folder-relative path lies in a node's data
// (its ledger).
func isNodeData(name string) bool {
	parts := strings.SplitN(name, "/", 4)
	return len(parts) == 4 && parts[0] == "nodes" && parts[2] == "data"
}

// clearFolder removes everything inside dir, keeping dir.
func clearFolder(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		errs = append(errs, os.RemoveAll(filepath.Join(dir, e.Name())))
	}
	return errors.Join(errs...)
}
