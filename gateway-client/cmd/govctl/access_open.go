package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/govshare/govshare/chaincode/evidence"
	govclient "github.com/govshare/govshare/gateway-client"
)

// accessOpenCommand is access open: the grantee opens sealed content,
// logged on the ledger first, into a new file or a pipe.
func (a *app) accessOpenCommand() *cobra.Command {
	var out string
	open := &cobra.Command{
		Use: "open REQUEST_ID", Short: "Open the sealed content of a grant you hold, logged on the ledger, into a file", Args: cobra.ExactArgs(1),
		Long: `open first records on the ledger that you open the content (the access log entry
names you, the evidence, the grant and the time), then has your organisation's
peer deliver the content encrypted with a one-time key, decrypts it, checks it
against the SHA-256 on the ledger and writes it to --out. The content is never
printed to the terminal: --out - writes it to standard output only when that is
a pipe or a file. If the evidence sealed a key rather than its content, --out
receives the key in hex, as "evidence submit --key-file" reads it: it decrypts
the copy kept in the submitting department's evidence store.`,
		Example: "  govctl --org NotaryOffice --as notary access open AR-0001 --out ev-0001.txt",
		RunE: func(cmd *cobra.Command, args []string) error {
			dest, err := a.openOut(out)
			if err != nil {
				return err
			}
			s, err := a.session("")
			if err != nil {
				dest.abandon()
				return err
			}
			ctx, cancel := a.context(cmd)
			defer cancel()
			done := a.waiting("open the sealed content of " + args[0])
			sc, result, err := s.Evidence().ReadSealed(ctx, args[0])
			if err != nil {
				done(result) // a committed opening is reported even when nothing was delivered
				dest.abandon()
				return err
			}
			done(result)
			defer clear(sc.Data)
			data := sc.Data
			if sc.SealedAs == evidence.SealedAsKey {
				data = []byte(hex.EncodeToString(sc.Data) + "\n") // the form of a --key-file
				defer clear(data)
			}
			if err := dest.write(data); err != nil {
				return fmt.Errorf("the opening is logged as entry #%d, but the content could not be written: %w", sc.Entry.Sequence, err)
			}
			opened := struct {
				*govclient.SealedContent
				Bytes int    `json:"bytes"`
				Out   string `json:"out"`
			}{sc, len(sc.Data), out}
			return dest.report.print(opened, func(w io.Writer) {
				fmt.Fprintf(w, "opened the sealed %s of evidence %s under access request %s\n", sc.SealedAs, sc.Entry.EvidenceID, sc.Entry.RequestID)
				printAccessLogEntry(w, &sc.Entry)
				if sc.SealedAs == evidence.SealedAsKey {
					fmt.Fprintf(w, "  wrote the %d-byte key, in hex, to %s; its SHA-256 is the one on the ledger (%s)\n", len(sc.Data), dest.name(), sc.Entry.SealedSHA256)
					fmt.Fprintln(w, "  it decrypts the encrypted copy of the evidence in the submitting department's evidence store")
					return
				}
				fmt.Fprintf(w, "  wrote %s to %s; its SHA-256 is the one on the ledger (%s)\n", size(int64(len(sc.Data))), dest.name(), sc.Entry.SealedSHA256)
			})
		},
	}
	open.Flags().StringVar(&out, "out", "", "the file to write the content to (must not exist); - for standard output when it is not a terminal")
	return open
}

// output is where access open writes sealed content, and where its report
// goes: stdout, unless the content goes there.
type output struct {
	path   string
	w      io.Writer
	file   *os.File
	report *app
}

// openOut prepares the destination of sealed content before anything is
// logged, so that a wrong --out costs no access log entry: a new file
// (mode 0600, never overwriting one), or stdout if it is not a terminal.
func (a *app) openOut(path string) (*output, error) {
	switch {
	case path == "":
		return nil, usagef("say where the sealed content goes with --out FILE: it is never printed to the terminal")
	case path == "-":
		if isTerminal(a.stdout) {
			return nil, usagef("--out - would print sealed content to the terminal; give a file, or pipe the output")
		}
		report := *a
		report.stdout = a.stderr
		return &output{path: path, w: a.stdout, report: &report}, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil, usagef("%s exists; give a new file to --out, so that nothing is overwritten", path)
	}
	if err != nil {
		return nil, usageError{err}
	}
	return &output{path: path, w: f, file: f, report: a}, nil
}

func (o *output) name() string {
	if o.file == nil {
		return "standard output"
	}
	return o.path
}

func (o *output) write(data []byte) error {
	if _, err := o.w.Write(data); err != nil {
		o.abandon()
		return err
	}
	if o.file != nil {
		if err := o.file.Close(); err != nil {
			os.Remove(o.path)
			return err
		}
	}
	return nil
}

// abandon removes a file made for content that did not come.
func (o *output) abandon() {
	if o.file != nil {
		o.file.Close()
		os.Remove(o.path)
	}
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
