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
	"time"

	"github.com/spf13/cobra"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/foundation"
	govclient "github.com/govshare/govshare/gateway-client"
)

// The judicial-evidence commands. Party names and sealed content are
// private: they are sent as transient data and printed only where the
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

// evidencePageSize is how many records a paginated evidence query fetches
// unless --page-size says otherwise.
const evidencePageSize = 20

func (a *app) caseCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "case",
		Short: "Court cases: open (court clerk), close and seal (judge), summaries (everyone)",
		Long: `A court clerk opens a case before evidence can be submitted to it. The ledger
knows the parties only by a reference and their role; their names go to the
private collection of the court and the notary office. A judge closes a case (no
more evidence) or seals it (no more evidence, and its sealed content can no
longer be opened by anyone). Everyone on the judicial-evidence channel,
Oversight included, reads a case's public summary.`,
	}

	var req evidence.OpenCaseRequest
	var parties []string
	open := &cobra.Command{
		Use: "open", Short: "Open a case", Args: cobra.NoArgs,
		Example: `  govctl --org InternetCourt --as clerk case open --id IC-2026-0042 \
    --court "Internet Court of Example City" --type "online contract dispute" \
    --party "P1:plaintiff:Example Trading Ltd" --party "P2:defendant:Jane Example"`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireFlags(cmd, "id", "court", "type", "party"); err != nil {
				return err
			}
			var names evidence.PartyNames
			var err error
			if req.Parties, names, err = partyFlags(parties); err != nil {
				return err
			}
			return write(a, cmd, consortium.RoleClerk, "open case "+req.CaseID, func(ctx context.Context, s *govclient.Session) (*evidence.Case, *govclient.Result, error) {
				return s.Evidence().OpenCase(ctx, req, names)
			}, printCase)
		},
	}
	open.Flags().StringVar(&req.CaseID, "id", "", "the case's ID, e.g. IC-2026-0042")
	open.Flags().StringVar(&req.Court, "court", "", "the court hearing the case")
	open.Flags().StringVar(&req.CaseType, "type", "", "the type of case, e.g. \"online contract dispute\"")
	open.Flags().StringArrayVar(&parties, "party", nil, "a party as REF:ROLE:NAME, once per party; ROLE is plaintiff, defendant, third-party or other; the name stays private")

	cmd.AddCommand(judgeDecisions(a, "CASE_ID", "case ", func(id, reason string) evidence.CaseDecisionRequest {
		return evidence.CaseDecisionRequest{CaseID: id, Reason: reason}
	}, printCase, []judgeDecision[evidence.CaseDecisionRequest, evidence.Case]{
		{"close", "Close an open case: no more evidence can be submitted (judge)",
			`  govctl --org InternetCourt --as judge case close IC-2026-0042 --reason "judgment delivered"`, (*govclient.Evidence).CloseCase},
		{"seal", "Seal a case for good: no more evidence, and no one can open its sealed content (judge)",
			`  govctl --org InternetCourt --as judge case seal IC-2026-0042 --reason "minors involved"`, (*govclient.Evidence).SealCase},
	})...)

	var pageSize int32
	var bookmark string
	show := &cobra.Command{
		Use: "show CASE_ID", Short: "A case and one page of its evidence: public metadata only", Args: cobra.ExactArgs(1),
		Example: `  govctl --org Oversight --as inspector case show IC-2026-0042
  govctl --org InternetCourt case show IC-2026-0042 --page-size 50 --bookmark <from the previous page>`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*evidence.CaseSummary, error) {
				return s.Evidence().GetCaseSummary(ctx, args[0], pageSize, bookmark)
			}, printCaseSummary)
		},
	}
	pageFlags(show, "evidence items", &pageSize, &bookmark)

	partiesCmd := &cobra.Command{
		Use: "parties CASE_ID", Short: "The names of a case's parties, from the private collection (court clerk or judge, notary)", Args: cobra.ExactArgs(1),
		Example: "  govctl --org InternetCourt --as judge case parties IC-2026-0042",
		RunE: func(cmd *cobra.Command, args []string) error {
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*evidence.CaseParties, error) {
				return s.Evidence().GetCaseParties(ctx, args[0])
			}, func(w io.Writer, p *evidence.CaseParties) {
				fmt.Fprintf(w, "parties of case %s:\n", p.CaseID)
				for _, n := range p.Parties {
					fmt.Fprintf(w, "  %-8s %s\n", n.Ref, n.Name)
				}
			})
		},
	}
	cmd.AddCommand(open, show, partiesCmd)
	return cmd
}

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

// pageFlags adds --page-size and --bookmark to a command that prints one
// page of a listing of items.
func pageFlags(cmd *cobra.Command, items string, pageSize *int32, bookmark *string) {
	cmd.Flags().Int32Var(pageSize, "page-size", evidencePageSize, items+" per page (at most 100)")
	cmd.Flags().StringVar(bookmark, "bookmark", "", "continue after the page that printed this bookmark")
}

// partyFlags reads --party REF:ROLE:NAME values into the public parties of
// a case and their private names.
func partyFlags(values []string) ([]evidence.Party, evidence.PartyNames, error) {
	parties := make([]evidence.Party, 0, len(values))
	names := evidence.PartyNames{Parties: make([]evidence.PartyName, 0, len(values))}
	for _, v := range values {
		fields := strings.SplitN(v, ":", 3)
		if len(fields) != 3 || fields[0] == "" || fields[1] == "" || strings.TrimSpace(fields[2]) == "" {
			return nil, evidence.PartyNames{}, usagef("--party takes REF:ROLE:NAME, e.g. \"P1:plaintiff:Example Trading Ltd\"; one value has %d of the 3 parts", len(fields))
		}
		parties = append(parties, evidence.Party{Ref: fields[0], Role: fields[1]})
		names.Parties = append(names.Parties, evidence.PartyName{Ref: fields[0], Name: strings.TrimSpace(fields[2])})
	}
	return parties, names, nil
}

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

func (a *app) custodyCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "custody", Short: "An evidence item's chain of custody: record a handling (court clerk, notary), show the chain"}
	var req evidence.CustodyEventRequest
	add := &cobra.Command{
		Use: "add EVIDENCE_ID", Short: "Record that you received, examined, transferred or returned an evidence item", Args: cobra.ExactArgs(1),
		Example: `  govctl --org InternetCourt --as clerk evidence custody add EV-0001 --action received --counterparty "plaintiff's counsel"
  govctl --org NotaryOffice --as notary evidence custody add EV-0001 --action transferred --counterparty "forensic laboratory" --note "sealed bag 17"`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := requireFlags(cmd, "action"); err != nil {
				return err
			}
			req.EvidenceID = args[0]
			return write(a, cmd, a.evidenceRole(), req.Action+" "+args[0], func(ctx context.Context, s *govclient.Session) (*evidence.CustodyEvent, *govclient.Result, error) {
				return s.Evidence().RecordCustodyEvent(ctx, req)
			}, printCustodyEvent)
		},
	}
	add.Flags().StringVar(&req.Action, "action", "", "received, examined, transferred or returned")
	add.Flags().StringVar(&req.Counterparty, "counterparty", "", "whom from or to (required for transferred)")
	add.Flags().StringVar(&req.Note, "note", "", "a note")

	show := &cobra.Command{
		Use: "show EVIDENCE_ID", Short: "The whole chain of custody, in order", Args: cobra.ExactArgs(1),
		Example: "  govctl --org Oversight --as inspector evidence custody show EV-0001",
		RunE: func(cmd *cobra.Command, args []string) error {
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*evidence.CustodyChain, error) {
				return s.Evidence().GetCustodyChain(ctx, args[0])
			}, func(w io.Writer, c *evidence.CustodyChain) {
				fmt.Fprintf(w, "chain of custody of evidence %s: %d event(s)\n", c.EvidenceID, len(c.Events))
				for i := range c.Events {
					printCustodyEvent(w, &c.Events[i])
				}
			})
		},
	}
	cmd.AddCommand(add, show)
	return cmd
}

func (a *app) accessCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "access",
		Short: "Access to sealed content: request (court clerk), grant, deny, revoke (judge), open (the grantee), the log",
		Long: `Sealed content is opened only by the holder of a judge's current grant, and every
opening is recorded on the ledger first. A clerk records a request for a
grantee: an identity of the court or the notary office, named by the MSP ID
and certificate identity that "govctl whoami" prints for it. A judge grants it
until an expiry, or denies it, and may revoke a grant. The grantee then runs
"access open", which records the opening and writes the content to a file.
Everyone on the channel, Oversight included, reads the access log.`,
	}

	var req evidence.AccessRequestRequest
	request := &cobra.Command{
		Use: "request", Short: "Record a request for access to an evidence item's sealed content (court clerk)", Args: cobra.NoArgs,
		Example: `  govctl --org NotaryOffice --as notary whoami     # the grantee prints its identity
  govctl --org InternetCourt --as clerk access request --id AR-0001 --evidence EV-0001 \
    --grantee-msp NotaryOfficeMSP --grantee-id "x509::CN=notary,OU=client::CN=ca.notary-office" \
    --purpose "the notary office reviews the capture"`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireFlags(cmd, "id", "evidence", "grantee-msp", "grantee-id", "purpose"); err != nil {
				return err
			}
			req.Grantee.MSPID = mspID(req.Grantee.MSPID)
			return write(a, cmd, consortium.RoleClerk, "request access "+req.RequestID, func(ctx context.Context, s *govclient.Session) (*evidence.AccessRequest, *govclient.Result, error) {
				return s.Evidence().RequestAccess(ctx, req)
			}, printAccessRequest)
		},
	}
	request.Flags().StringVar(&req.RequestID, "id", "", "the request's ID, e.g. AR-0001")
	request.Flags().StringVar(&req.EvidenceID, "evidence", "", "the evidence item")
	request.Flags().StringVar(&req.Grantee.MSPID, "grantee-msp", "", "the grantee's organisation: InternetCourtMSP or NotaryOfficeMSP")
	request.Flags().StringVar(&req.Grantee.ID, "grantee-id", "", "the grantee's certificate identity, as its govctl whoami prints it")
	request.Flags().StringVar(&req.Purpose, "purpose", "", "what the access is for")

	var until string
	var forDuration time.Duration
	var grantReason string
	grant := &cobra.Command{
		Use: "grant REQUEST_ID", Short: "Grant a pending request until an expiry (judge)", Args: cobra.ExactArgs(1),
		Example: `  govctl --org InternetCourt --as judge access grant AR-0001 --for 72h --reason "needed for the hearing"
  govctl --org InternetCourt --as judge access grant AR-0001 --until 2026-03-15T17:00:00Z`,
		RunE: func(cmd *cobra.Command, args []string) error {
			expires, err := expiry(until, forDuration, time.Now())
			if err != nil {
				return err
			}
			return write(a, cmd, consortium.RoleJudge, "grant "+args[0], func(ctx context.Context, s *govclient.Session) (*evidence.AccessRequest, *govclient.Result, error) {
				return s.Evidence().GrantAccess(ctx, evidence.GrantAccessRequest{RequestID: args[0], ExpiresAt: expires, Reason: grantReason})
			}, printAccessRequest)
		},
	}
	grant.Flags().StringVar(&until, "until", "", "the grant expires at this time, RFC 3339")
	grant.Flags().DurationVar(&forDuration, "for", 0, "the grant expires this long from now, e.g. 72h (at most 90 days)")
	grant.Flags().StringVar(&grantReason, "reason", "", "why (recorded on the ledger)")

	cmd.AddCommand(judgeDecisions(a, "REQUEST_ID", "", func(id, reason string) evidence.AccessDecisionRequest {
		return evidence.AccessDecisionRequest{RequestID: id, Reason: reason}
	}, printAccessRequest, []judgeDecision[evidence.AccessDecisionRequest, evidence.AccessRequest]{
		{"deny", "Deny a pending request (judge)",
			`  govctl --org InternetCourt --as judge access deny AR-0001 --reason "the purpose does not need the content"`, (*govclient.Evidence).DenyAccess},
		{"revoke", "Revoke a grant: from now on the grantee can no longer open the content (judge)",
			`  govctl --org InternetCourt --as judge access revoke AR-0001 --reason "review finished"`, (*govclient.Evidence).RevokeAccess},
	})...)

	show := &cobra.Command{
		Use: "show REQUEST_ID", Short: "An access request with its decisions", Args: cobra.ExactArgs(1),
		Example: "  govctl --org InternetCourt access show AR-0001",
		RunE: func(cmd *cobra.Command, args []string) error {
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*evidence.AccessRequest, error) {
				return s.Evidence().GetAccessRequest(ctx, args[0])
			}, printAccessRequest)
		},
	}

	var pageSize int32
	var bookmark string
	log := &cobra.Command{
		Use: "log EVIDENCE_ID", Short: "Who opened an evidence item's sealed content, when, under which grant", Args: cobra.ExactArgs(1),
		Example: "  govctl --org Oversight --as inspector access log EV-0001",
		RunE: func(cmd *cobra.Command, args []string) error {
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*evidence.AccessLogPage, error) {
				return s.Evidence().GetAccessLog(ctx, args[0], pageSize, bookmark)
			}, printAccessLog)
		},
	}
	pageFlags(log, "entries", &pageSize, &bookmark)

	cmd.AddCommand(request, grant, show, a.accessOpenCommand(), log)
	return cmd
}

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

func (a *app) whoamiCommand() *cobra.Command {
	return &cobra.Command{
		Use: "whoami", Short: "Your identity as the evidence contract sees it, to be named as a grantee", Args: cobra.NoArgs,
		Long: `whoami asks the evidence contract on the judicial-evidence channel who you are:
your organisation's MSP ID, your role and your certificate identity. Give the
MSP ID and the identity to the court clerk who records an access request for
you.`,
		Example: "  govctl --org NotaryOffice --as notary whoami",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*foundation.Caller, error) {
				return s.Evidence().WhoAmI(ctx)
			}, func(w io.Writer, c *foundation.Caller) {
				fmt.Fprintf(w, "%s %s\n%s\n", c.MSPID, c.Role, c.ID)
				fmt.Fprintf(w, "a clerk names you as a grantee with: --grantee-msp %s --grantee-id '%s'\n", c.MSPID, c.ID)
			})
		},
	}
}

// timeFlag checks an RFC 3339 time given to --name and returns it in UTC.
func timeFlag(name, value string) (string, error) {
	t, err := time.Parse(time.RFC3339, value)
	if err != nil {
		return "", usagef("--%s %q: write an RFC 3339 time such as 2026-03-01T14:05:00Z", name, value)
	}
	return t.UTC().Format(time.RFC3339), nil
}

// expiry returns a grant's expiry from --until or --for (one of the two).
func expiry(until string, d time.Duration, now time.Time) (string, error) {
	switch {
	case (until == "") == (d == 0):
		return "", usagef("say when the grant expires with --until TIME or --for DURATION, one of the two")
	case d < 0:
		return "", usagef("--for %s: a grant cannot expire in the past", d)
	case d > 0:
		return now.Add(d).UTC().Format(time.RFC3339), nil
	}
	return timeFlag("until", until)
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

// who names a caller by organisation and role; certificate identities are
// long and only printed where they are what was asked for.
func who(c foundation.Caller) string {
	if c.Role == "" {
		return c.MSPID
	}
	return c.MSPID + " " + c.Role
}

func printCase(w io.Writer, c *evidence.Case) {
	fmt.Fprintf(w, "case %s  %s, %s\n", c.CaseID, c.CaseType, c.Court)
	fmt.Fprintf(w, "  status %s; opened by %s on %s\n", c.Status, who(c.OpenedBy), shortTime(c.OpenedAt))
	parties := make([]string, 0, len(c.Parties))
	for _, p := range c.Parties {
		parties = append(parties, p.Ref+" ("+p.Role+")")
	}
	fmt.Fprintf(w, "  parties: %s (names in the private collection)\n", strings.Join(parties, ", "))
	printDecision(w, "closed", c.Closure)
	printDecision(w, "sealed", c.Sealing)
}

// printDecision writes a judge's decision on a case or a request, if made.
func printDecision(w io.Writer, what string, d *evidence.CaseDecision) {
	if d != nil {
		fmt.Fprintf(w, "  %s by %s on %s: %s\n", what, who(d.By), shortTime(d.At), d.Reason)
	}
}

func printCaseSummary(w io.Writer, s *evidence.CaseSummary) {
	printCase(w, &s.Case)
	fmt.Fprintf(w, "evidence (%d on this page):\n", len(s.Evidence))
	for _, e := range s.Evidence {
		fmt.Fprintf(w, "  %-20s %-24s %9s  sha256 %s...  %s %s  notarised %d, custody %d\n", e.EvidenceID, e.MediaType, size(e.SizeBytes),
			e.ContentSHA256[:min(16, len(e.ContentSHA256))], e.SubmitterMSP, shortTime(e.SubmittedAt), e.Notarisations, e.CustodyEvents)
		fmt.Fprintf(w, "  %-20s %s\n", "", e.Description)
	}
	if s.Bookmark != "" {
		fmt.Fprintf(w, "more on the next page: --bookmark %s\n", s.Bookmark)
	}
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

func printCustodyEvent(w io.Writer, c *evidence.CustodyEvent) {
	fmt.Fprintf(w, "  #%d %s  %-11s by %s", c.Sequence, shortTime(c.At), c.Action, who(c.Actor))
	if c.Counterparty != "" {
		fmt.Fprintf(w, ", counterparty %s", c.Counterparty)
	}
	if c.Note != "" {
		fmt.Fprintf(w, " (%s)", c.Note)
	}
	fmt.Fprintln(w)
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

func printAccessRequest(w io.Writer, r *evidence.AccessRequest) {
	fmt.Fprintf(w, "access request %s for evidence %s (case %s): %s\n", r.RequestID, r.EvidenceID, r.CaseID, r.Status)
	fmt.Fprintf(w, "  grantee %s %s\n", r.Grantee.MSPID, r.Grantee.ID)
	fmt.Fprintf(w, "  purpose %q; requested by %s on %s\n", r.Purpose, who(r.RequestedBy), shortTime(r.RequestedAt))
	if g := r.Grant; g != nil {
		fmt.Fprintf(w, "  granted by %s on %s until %s", who(g.By), shortTime(g.At), shortTime(g.ExpiresAt))
		if g.Reason != "" {
			fmt.Fprintf(w, ": %s", g.Reason)
		}
		fmt.Fprintln(w)
	}
	printDecision(w, "denied", r.Denial)
	printDecision(w, "revoked", r.Revocation)
}

func printAccessLogEntry(w io.Writer, e *evidence.AccessLogEntry) {
	fmt.Fprintf(w, "  #%d %s  opened by %s under access request %s, transaction %s\n", e.Sequence, shortTime(e.OpenedAt), who(e.Reader), e.RequestID, e.TxID)
}

func printAccessLog(w io.Writer, p *evidence.AccessLogPage) {
	fmt.Fprintf(w, "access log of evidence %s, %d on this page:\n", p.EvidenceID, len(p.Entries))
	for i := range p.Entries {
		printAccessLogEntry(w, &p.Entries[i])
	}
	if p.Bookmark != "" {
		fmt.Fprintf(w, "more on the next page: --bookmark %s\n", p.Bookmark)
	}
}
