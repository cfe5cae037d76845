package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/foundation"
	govclient "github.com/govshare/govshare/gateway-client"
)

// The judicial-evidence commands: one file per group (case.go, evidence.go,
// custody.go, access.go and access_open.go, whoami.go); this file holds the
// evidence group and what the groups share. Party names and sealed content
// are private: they are sent as transient data and printed only where the
// person asked for exactly them (case parties, access open --out).

// evidenceCommands returns the command groups of the judicial-evidence
// channel.
func (a *app) evidenceCommands() []*cobra.Command {
	return []*cobra.Command{a.caseCommand(), a.evidenceCommand(), a.accessCommand(), a.whoamiCommand()}
}

// evidenceWriters maps the organisations that submit and handle evidence
// to the role they do it in, so that --as can be left out.
var evidenceWriters = map[string]string{
	consortium.InternetCourtMSP: consortium.RoleClerk,
	consortium.NotaryOfficeMSP:  consortium.RoleNotary,
}

// evidenceRole is the role --org submits and handles evidence in when --as
// is not given.
func (a *app) evidenceRole() string { return evidenceWriters[mspID(a.org)] }

// judgeDecision is a judge's decision on one record: a command that takes
// the record's ID and --reason and submits decide as the judge.
type judgeDecision[Req, Record any] struct {
	use, short, example string
	decide              func(*govclient.Evidence, context.Context, Req) (*Record, *govclient.Result, error)
}

// judgeDecisions makes the commands of decisions on records named by arg
// (CASE_ID, REQUEST_ID); request builds a decision's request, and what
// names the record in progress messages ("case ").
func judgeDecisions[Req, Record any](a *app, arg, what string, request func(id, reason string) Req, show func(io.Writer, *Record),
	decisions []judgeDecision[Req, Record]) []*cobra.Command {
	cmds := make([]*cobra.Command, 0, len(decisions))
	for _, d := range decisions {
		var reason string
		c := &cobra.Command{
			Use: d.use + " " + arg, Short: d.short, Example: d.example, Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				if err := requireFlags(cmd, "reason"); err != nil {
					return err
				}
				return write(a, cmd, consortium.RoleJudge, d.use+" "+what+args[0], func(ctx context.Context, s *govclient.Session) (*Record, *govclient.Result, error) {
					return d.decide(s.Evidence(), ctx, request(args[0], reason))
				}, show)
			},
		}
		c.Flags().StringVar(&reason, "reason", "", "why (recorded on the ledger)")
		cmds = append(cmds, c)
	}
	return cmds
}

// who names a caller by organisation and role; certificate identities are
// long and only printed where they are what was asked for.
func who(c foundation.Caller) string {
	if c.Role == "" {
		return c.MSPID
	}
	return c.MSPID + " " + c.Role
}

// printDecision writes a judge's decision on a case or a request, if made.
func printDecision(w io.Writer, what string, d *evidence.CaseDecision) {
	if d != nil {
		fmt.Fprintf(w, "  %s by %s on %s: %s\n", what, who(d.By), shortTime(d.At), d.Reason)
	}
}

// evidenceCommand is the evidence group on the judicial-evidence channel:
// submit, show, notarise, custody (custody.go) and verify.
func (a *app) evidenceCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "evidence",
		Short: "Evidence by hash: submit (court clerk, notary), notarise (notary), custody, verify (everyone)",
		Long: `Evidence goes on the ledger as the SHA-256 of its file with its metadata; the file
itself (at most 1 MiB) is sealed in the private collection of the court and the
notary office, where only the holder of a judge's grant can open it (govctl
access --help). A larger file stays in your own evidence store, encrypted, and
the key that decrypts it is sealed instead (--key-file). A notary attests
evidence; clerks and notaries record each handling in its chain of custody.
Anyone on the channel, Oversight included, can check a file against the ledger
with "evidence verify".`,
	}

	var req evidence.SubmitEvidenceRequest
	var keyFile string
	var newKey bool
	submit := &cobra.Command{
		Use: "submit FILE", Short: "Submit a file as evidence to an open case", Args: cobra.ExactArgs(1),
		Long: `submit hashes FILE (showing progress for large files), puts its SHA-256 and
metadata on the ledger and seals the file in the private collection of the court
and the notary office; the ledger checks that what is sealed has that SHA-256.

Files over 1 MiB cannot be sealed themselves. Keep the file encrypted in your
own evidence store and seal the key that decrypts it: --key-file KEY names a file
holding the key in hex (16 to 64 bytes); with --new-key, govctl writes a fresh
random 32-byte key there first. Encrypt FILE with that key and store the
encrypted copy yourself: govctl neither encrypts nor stores files. The ledger
still holds the SHA-256 of FILE as it is, so anyone can verify the original.`,
		Example: `  govctl --org InternetCourt --as clerk evidence submit --case IC-2026-0042 --id EV-0001 \
    --description "chat transcript exported from the platform" --tool "WebCapture 3.2" \
    --captured-at 2026-03-01T14:05:00Z --source https://chat.example/thread/17 chat.txt
  govctl --org NotaryOffice --as notary evidence submit --case IC-2026-0042 --id EV-0002 \
    --description "screen recording" --tool "ScreenRec 5" --captured-at 2026-03-01T15:00:00Z \
    --source "seller's shop page" --key-file ev-0002.key --new-key recording.mp4`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := requireFlags(cmd, "case", "id", "description", "tool", "captured-at", "source"); err != nil {
				return err
			}
			path := args[0]
			info, err := os.Stat(path)
			if err != nil {
				return usageError{err}
			}
			if newKey && keyFile == "" {
				return usagef("--new-key writes the new key to --key-file; give one")
			}
			if info.Size() > evidence.MaxContentBytes && keyFile == "" {
				return usagef("%s is %d bytes, over the %d bytes (1 MiB) the ledger seals: keep it encrypted in your evidence store and seal its key with --key-file KEY (--new-key makes one)",
					path, info.Size(), evidence.MaxContentBytes)
			}
			if req.Provenance.CapturedAt, err = timeFlag("captured-at", req.Provenance.CapturedAt); err != nil {
				return err
			}
			if req.MediaType == "" {
				req.MediaType = mediaType(path)
			}
			var key []byte
			if keyFile != "" {
				if key, err = loadKey(keyFile, newKey); err != nil {
					return err
				}
			}
			err = write(a, cmd, a.evidenceRole(), "submit evidence "+req.EvidenceID, func(ctx context.Context, s *govclient.Session) (*evidence.Evidence, *govclient.Result, error) {
				var err error
				if req.ContentSHA256, err = a.hashFile(ctx, path); err != nil {
					return nil, nil, err
				}
				if key != nil {
					return s.Evidence().SubmitEvidenceFileWithKey(ctx, req, path, key)
				}
				return s.Evidence().SubmitEvidenceFile(ctx, req, path)
			}, func(w io.Writer, e *evidence.Evidence) {
				printEvidence(w, e)
				if key != nil {
					fmt.Fprintf(w, "  the key in %s is sealed: encrypt %s with it and keep the encrypted copy in your evidence store\n", keyFile, path)
				}
			})
			if err != nil && newKey {
				os.Remove(keyFile) // nothing was sealed with it
			}
			return err
		},
	}
	submit.Flags().StringVar(&req.CaseID, "case", "", "the open case the evidence belongs to")
	submit.Flags().StringVar(&req.EvidenceID, "id", "", "the evidence's ID, unique on the channel, e.g. EV-0001")
	submit.Flags().StringVar(&req.Description, "description", "", "what the evidence is")
	submit.Flags().StringVar(&req.MediaType, "type", "", "media type, e.g. image/png (default: from the file name's extension)")
	submit.Flags().StringVar(&req.Provenance.Tool, "tool", "", "the tool that captured it")
	submit.Flags().StringVar(&req.Provenance.CapturedAt, "captured-at", "", "when it was captured, RFC 3339, e.g. 2026-03-01T14:05:00Z")
	submit.Flags().StringVar(&req.Provenance.Source, "source", "", "where it was captured: platform, URL or device")
	submit.Flags().StringVar(&keyFile, "key-file", "", "seal the key in this file (hex) instead of the content; required over 1 MiB")
	submit.Flags().BoolVar(&newKey, "new-key", false, "write a fresh random key to --key-file first (the file must not exist)")

	show := &cobra.Command{
		Use: "show EVIDENCE_ID", Short: "An evidence item's public record with its notarisations", Args: cobra.ExactArgs(1),
		Example: "  govctl --org Oversight --as inspector evidence show EV-0001",
		RunE: func(cmd *cobra.Command, args []string) error {
			type record struct {
				Evidence      *evidence.Evidence      `json:"evidence"`
				Notarisations []evidence.Notarisation `json:"notarisations"`
			}
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*record, error) {
				e, err := s.Evidence().GetEvidence(ctx, args[0])
				if err != nil {
					return nil, err
				}
				n, err := s.Evidence().GetNotarisations(ctx, args[0])
				if err != nil {
					return nil, err
				}
				return &record{e, n.Notarisations}, nil
			}, func(w io.Writer, r *record) {
				printEvidence(w, r.Evidence)
				for i := range r.Notarisations {
					printNotarisation(w, &r.Notarisations[i])
				}
			})
		},
	}

	var statement string
	notarise := &cobra.Command{
		Use: "notarise EVIDENCE_ID", Short: "Attest an evidence item (notary)", Args: cobra.ExactArgs(1),
		Example: `  govctl --org NotaryOffice --as notary evidence notarise EV-0001 \
    --statement "captured in my presence on 1 March 2026, notarial record 2026-117"`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := requireFlags(cmd, "statement"); err != nil {
				return err
			}
			return write(a, cmd, consortium.RoleNotary, "notarise "+args[0], func(ctx context.Context, s *govclient.Session) (*evidence.Notarisation, *govclient.Result, error) {
				return s.Evidence().NotariseEvidence(ctx, evidence.NotariseRequest{EvidenceID: args[0], Statement: statement})
			}, printNotarisation)
		},
	}
	notarise.Flags().StringVar(&statement, "statement", "", "the notary's statement")

	verify := &cobra.Command{
		Use: "verify FILE", Short: "Check a file against the ledger: submitted or not, in which case, by whom, when", Args: cobra.ExactArgs(1),
		Long: `verify hashes FILE and asks the ledger whether that content was submitted as
evidence: in which cases, by which organisation and when, whether a notary
attested it and how many custody events it has. A file changed by a single byte
is not found. Anyone on the judicial-evidence channel can run it.`,
		Example: "  govctl --org Oversight --as inspector evidence verify chat.txt",
		RunE: func(cmd *cobra.Command, args []string) error {
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*evidence.EvidenceVerification, error) {
				hash, err := a.hashFile(ctx, args[0])
				if err != nil {
					return nil, err
				}
				return s.Evidence().VerifyEvidenceByHash(ctx, hash)
			}, printVerification)
		},
	}
	cmd.AddCommand(submit, show, notarise, a.custodyCommand(), verify)
	return cmd
}

// mediaType guesses a file's media type from its extension, without
// parameters; application/octet-stream when unknown.
func mediaType(path string) string {
	if t, _, err := mime.ParseMediaType(mime.TypeByExtension(filepath.Ext(path))); err == nil {
		return t
	}
	return "application/octet-stream"
}

// loadKey reads a sealed key, hex in a file, or with create writes a
// fresh one there first (mode 0600, never overwriting a file).
func loadKey(path string, create bool) ([]byte, error) {
	if create {
		key, err := govclient.NewContentKey()
		if err != nil {
			return nil, err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, os.ErrExist) {
			return nil, usagef("%s exists; --new-key writes a new key to a new file (leave out --new-key to seal the key in it)", path)
		}
		if err != nil {
			return nil, usageError{err}
		}
		_, err = fmt.Fprintln(f, hex.EncodeToString(key))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
			return nil, fmt.Errorf("write the new key to %s: %w", path, err)
		}
		return key, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usageError{err}
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(key) < evidence.MinKeyBytes || len(key) > evidence.MaxKeyBytes {
		return nil, usagef("%s must hold a key of %d to %d bytes in hex", path, evidence.MinKeyBytes, evidence.MaxKeyBytes)
	}
	return key, nil
}

func printEvidence(w io.Writer, e *evidence.Evidence) {
	fmt.Fprintf(w, "evidence %s in case %s: %s, %s, %q\n", e.EvidenceID, e.CaseID, e.MediaType, size(e.SizeBytes), e.Description)
	fmt.Fprintf(w, "  sha256 %s\n", e.ContentSHA256)
	fmt.Fprintf(w, "  captured with %s at %s from %s\n", e.Provenance.Tool, shortTime(e.Provenance.CapturedAt), e.Provenance.Source)
	sealed := "the content is sealed"
	if e.SealedAs == evidence.SealedAsKey {
		sealed = "the key to the content kept outside the ledger is sealed"
	}
	fmt.Fprintf(w, "  submitted by %s on %s; %s\n", who(e.SubmittedBy), shortTime(e.SubmittedAt), sealed)
	fmt.Fprintf(w, "  notarisations %d, custody events %d, openings of the sealed content %d\n", e.Notarisations, e.CustodyEvents, e.AccessLogEntries)
}

func printNotarisation(w io.Writer, n *evidence.Notarisation) {
	fmt.Fprintf(w, "  notarisation #%d of %s by %s on %s: %q\n", n.Sequence, n.EvidenceID, who(n.Notary), shortTime(n.NotarisedAt), n.Statement)
}

func printVerification(w io.Writer, v *evidence.EvidenceVerification) {
	if !v.Found {
		fmt.Fprintf(w, "NOT FOUND: no evidence with SHA-256 %s is on the ledger\n", v.ContentSHA256)
		return
	}
	fmt.Fprintf(w, "FOUND: SHA-256 %s was submitted as evidence %d time(s):\n", v.ContentSHA256, len(v.Submissions))
	for _, s := range v.Submissions {
		notarised := "not notarised"
		if s.Notarised {
			notarised = fmt.Sprintf("notarised (%d)", s.Notarisations)
		}
		fmt.Fprintf(w, "  evidence %s in case %s, by %s on %s, %s, custody chain of %d event(s)\n",
			s.EvidenceID, s.CaseID, who(s.SubmittedBy), shortTime(s.SubmittedAt), notarised, s.CustodyChainLength)
	}
}
