package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/govshare/govshare/chaincode/education"
	govclient "github.com/govshare/govshare/gateway-client"
)

func (a *app) demoCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Run the end-to-end scenario on a running network, as each department in turn",
		Long: `demo plays a short day on the network, every step a real transaction through
the organisation's gateway peer under the real endorsement policies, while the
oversight body's feed records everything. It can run again on the same network:
every run uses new identifiers.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d := &demo{app: a, w: a.stdout, clients: map[string]*govclient.Client{}, run: time.Now().UTC().Format("20060102-150405")}
			defer d.close()
			return d.play(cmd.Context())
		},
	}
}

// demo is one run of the scenario.
type demo struct {
	app     *app
	w       io.Writer
	run     string // makes this run's identifiers unique
	clients map[string]*govclient.Client
	step    int

	feedMu   sync.Mutex
	feed     []govclient.Change
	lastTx   map[string]string // channel -> last transaction this run submitted
	refusals int
}

func (d *demo) close() {
	for _, c := range d.clients {
		c.Close()
	}
}

// as returns a session of org's user with role, opening the org's client once.
func (d *demo) as(org, role string) (*govclient.Session, error) {
	c, ok := d.clients[org]
	if !ok {
		var err error
		if c, err = d.app.openClient(org); err != nil {
			return nil, err
		}
		d.clients[org] = c
	}
	return c.As(role)
}

func (d *demo) say(format string, args ...any) {
	d.step++
	fmt.Fprintf(d.w, "\n%2d. %s\n", d.step, fmt.Sprintf(format, args...))
}

func (d *demo) detail(format string, args ...any) {
	fmt.Fprintf(d.w, "    %s\n", fmt.Sprintf(format, args...))
}

// committed notes a committed transaction of this run.
func (d *demo) committed(channel string, r *govclient.Result) {
	if r == nil {
		return
	}
	d.feedMu.Lock()
	d.lastTx[channel] = r.TransactionID
	d.feedMu.Unlock()
	d.detail("committed: block %d, transaction %s", r.BlockNumber, short(r.TransactionID))
}

func short(id string) string {
	if len(id) > 12 {
		return id[:12] + "..."
	}
	return id
}

func (d *demo) play(ctx context.Context) error {
	d.lastTx = map[string]string{}
	fmt.Fprintf(d.w, "govshare demo, run %s: every step is a transaction through the Fabric gateway\n", d.run)

	feed, err := d.startFeed(ctx)
	if err != nil {
		return err
	}
	defer feed.stop(false) // on a failed step: stop the feed, remove its files
	for _, step := range []func(context.Context) error{d.education, d.finance, d.evidence, d.oversightRefused} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	if err := feed.stop(true); err != nil {
		return err
	}
	d.printFeed()
	d.summary()
	return nil
}

// feed is the oversight body's listener running during the demo.
type feed struct {
	d           *demo
	cancel      context.CancelFunc
	done        chan error
	checkpoints string
	once        sync.Once
	err         error
}

// stop ends the feed, after letting it catch up with this run's last
// transaction on each channel if catchUp, and reports why the feed ended
// if it ended on its own. It can be called again; later calls do nothing.
func (f *feed) stop(catchUp bool) error {
	f.once.Do(func() {
		deadline := time.Now().Add(30 * time.Second)
		for catchUp && time.Now().Before(deadline) && !f.d.feedCaughtUp() {
			select {
			case err := <-f.done: // the feed ended early
				f.done <- err
				deadline = time.Now()
			case <-time.After(100 * time.Millisecond):
			}
		}
		f.cancel()
		if err := <-f.done; err != nil && !errors.Is(err, context.Canceled) {
			f.err = fmt.Errorf("the oversight feed stopped: %w", err)
		}
		os.RemoveAll(f.checkpoints)
	})
	return f.err
}

// startFeed has the oversight body watch every channel from now on.
func (d *demo) startFeed(ctx context.Context) (*feed, error) {
	inspector, err := d.as("Oversight", "inspector")
	if err != nil {
		return nil, err
	}
	channels := d.clients["Oversight"].Channels()
	start, err := inspector.ChainHeights(ctx, channels)
	if err != nil {
		return nil, err
	}
	checkpoints, err := os.MkdirTemp("", "govshare-demo-feed-")
	if err != nil {
		return nil, fmt.Errorf("make a folder for the feed's checkpoints: %w", err)
	}
	feedCtx, cancel := context.WithCancel(ctx)
	f := &feed{d: d, cancel: cancel, done: make(chan error, 1), checkpoints: checkpoints}
	go func() {
		f.done <- inspector.Changes(feedCtx, channels, checkpoints, start, func(c govclient.Change) error {
			d.feedMu.Lock()
			d.feed = append(d.feed, c)
			d.feedMu.Unlock()
			return nil
		})
	}()
	d.say("Oversight starts its feed of every change on %s", strings.Join(channels, ", "))
	return f, nil
}

func (d *demo) feedCaughtUp() bool {
	d.feedMu.Lock()
	defer d.feedMu.Unlock()
	for _, tx := range d.lastTx {
		found := false
		for _, c := range d.feed {
			if c.TransactionID == tx {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func (d *demo) education(ctx context.Context) error {
	const channel = "education-credit"
	officer, err := d.as("EduMinistry", "officer")
	if err != nil {
		return err
	}
	d.say("The ministry of education accredits two universities")
	for _, u := range []struct{ msp, name string }{{"UniversityAMSP", "University A"}, {"UniversityBMSP", "University B"}} {
		if acc, err := officer.Education().GetAccreditation(ctx, u.msp); err == nil {
			d.detail("%s is accredited already (since %s, %s)", u.msp, shortTime(acc.AccreditedAt), acc.Status)
			continue
		}
		acc, r, err := officer.Education().AccreditUniversity(ctx, education.AccreditRequest{MSPID: u.msp, Name: u.name})
		if err != nil {
			return err
		}
		d.detail("%s accredited as %q", acc.MSPID, acc.Name)
		d.committed(channel, r)
	}

	registrarA, err := d.as("UniversityA", "registrar")
	if err != nil {
		return err
	}
	salts, err := govclient.LoadStudentSalts(d.app.orgDir("UniversityA"))
	if err != nil {
		return err
	}
	student, ref := salts.Student("S"+d.run, "Li Hua", "2004-03-01")
	d.say("University A's registrar records two credits for student %s", student.StudentNumber)
	d.detail("the ledger knows the student only as %s...; name and birth date go to University A's and the ministry's private collection", ref[:16])
	credits := []education.RecordCreditRequest{
		{CreditID: "UA-" + d.run + "-CS101", StudentRef: ref, CourseCode: "CS101", CourseTitle: "Programming 1", CreditTenths: 75, Grade: "A", Term: "2026-spring"},
		{CreditID: "UA-" + d.run + "-MA201", StudentRef: ref, CourseCode: "MA201", CourseTitle: "Linear Algebra", CreditTenths: 50, Grade: "B", Term: "2026-spring"},
	}
	for _, req := range credits {
		credit, r, err := registrarA.Education().RecordCredit(ctx, req, student)
		if err != nil {
			return err
		}
		d.detail("credit %s: %s %s credits, grade %s, issuer %s", credit.CreditID, credit.CourseCode, tenths(credit.CreditTenths), credit.Grade, credit.Issuer)
		d.committed(channel, r)
	}

	registrarB, err := d.as("UniversityB", "registrar")
	if err != nil {
		return err
	}
	d.say("University B's registrar recognises the programming credit for 6.0 credits")
	rec, r, err := registrarB.Education().RecogniseCredit(ctx, education.RecogniseCreditRequest{CreditID: credits[0].CreditID, AcceptedCreditTenths: 60})
	if err != nil {
		return err
	}
	d.detail("recognised by %s, credit issued by %s", rec.RecognisedBy, rec.Issuer)
	d.committed(channel, r)

	d.say("University A revokes the algebra credit, recorded against the wrong course")
	revoked, r, err := registrarA.Education().RevokeCredit(ctx, education.RevokeCreditRequest{CreditID: credits[1].CreditID, Reason: "recorded against the wrong course"})
	if err != nil {
		return err
	}
	d.detail("credit %s is now %s; it stays on the ledger with its history", revoked.CreditID, revoked.Status)
	d.committed(channel, r)

	inspector, err := d.as("Oversight", "inspector")
	if err != nil {
		return err
	}
	d.say("Oversight reads the student's transcript")
	transcript, err := inspector.Education().GetTranscript(ctx, ref, 50, "")
	if err != nil {
		return err
	}
	printTranscript(indent{d.w}, transcript)

	d.say("University A registers a diploma by the hash of its file; Oversight verifies the file and a forged copy")
	dir, err := os.MkdirTemp("", "govshare-demo-")
	if err != nil {
		return fmt.Errorf("make a folder for the demo's files: %w", err)
	}
	defer os.RemoveAll(dir)
	diplomaFile := filepath.Join(dir, "diploma-"+student.StudentNumber+".pdf")
	forgedFile := filepath.Join(dir, "forged-"+student.StudentNumber+".pdf")
	content := "%PDF-1.7 Diploma: Bachelor of Science in Computer Science, awarded to student " + student.StudentNumber
	if err := os.WriteFile(diplomaFile, []byte(content), 0o600); err != nil {
		return fmt.Errorf("write the demo diploma: %w", err)
	}
	if err := os.WriteFile(forgedFile, []byte(strings.Replace(content, "Bachelor", "Master", 1)), 0o600); err != nil {
		return fmt.Errorf("write the forged diploma: %w", err)
	}
	hash, err := govclient.HashFile(ctx, diplomaFile, nil)
	if err != nil {
		return err
	}
	diploma, r, err := registrarA.Education().RegisterDiploma(ctx, education.RegisterDiplomaRequest{DocumentHash: hash, StudentRef: ref, Degree: "BSc Computer Science"}, student)
	if err != nil {
		return err
	}
	d.detail("registered %s: %s", diploma.DocumentHash[:16]+"...", diploma.Degree)
	d.committed(channel, r)
	for _, f := range []string{diplomaFile, forgedFile} {
		h, err := govclient.HashFile(ctx, f, nil)
		if err != nil {
			return err
		}
		v, err := inspector.Education().VerifyDiploma(ctx, h)
		if err != nil {
			return err
		}
		verdict := "NOT REGISTERED"
		if v.Valid {
			verdict = fmt.Sprintf("VALID, issued by %s on %s", v.Diploma.Issuer, shortTime(v.Diploma.RegisteredAt))
		}
		d.detail("%s: %s", filepath.Base(f), verdict)
	}
	return nil
}

func (d *demo) oversightRefused(ctx context.Context) error {
	inspector, err := d.as("Oversight", "inspector")
	if err != nil {
		return err
	}
	d.say("The oversight body tries to record a credit itself, and is refused")
	salts, err := govclient.LoadStudentSalts(d.app.orgDir("UniversityA"))
	if err != nil {
		return err
	}
	student, ref := salts.Student("S"+d.run, "Li Hua", "2004-03-01")
	_, _, err = inspector.Education().RecordCredit(ctx, education.RecordCreditRequest{
		CreditID: "OV-" + d.run, StudentRef: ref, CourseCode: "CS999", CourseTitle: "Forged", CreditTenths: 100, Grade: "A", Term: "2026-spring",
	}, student)
	var txErr *govclient.TxError
	if !errors.As(err, &txErr) {
		return fmt.Errorf("the oversight body's write was not refused as it should be: %v", err)
	}
	d.refusals++
	d.detail("refused: %s", txErr.Message())
	d.detail("nothing was written: the chaincode refused it before any write, and the endorsement policy needs the ministry and a university anyway")
	return nil
}

func (d *demo) printFeed() {
	d.feedMu.Lock()
	defer d.feedMu.Unlock()
	d.say("What the oversight feed saw during the demo (%d transactions)", len(d.feed))
	for _, c := range d.feed {
		fmt.Fprintf(d.w, "    %s\n", formatChange(c))
	}
}

func (d *demo) summary() {
	fmt.Fprintf(d.w, "\nDone: %d steps, %d writes refused as they should be. The network keeps running; explore it with govctl:\n", d.step, d.refusals)
	for _, line := range []string{
		"govctl --org Oversight --as inspector oversight watch --from-start",
		"govctl --org Oversight --as inspector oversight summary",
		"govctl --org UniversityA --as registrar credit transcript --student-number S" + d.run,
		"govctl --org UniversityA --as registrar credit show UA-" + d.run + "-MA201",
		"govctl --org EduMinistry --as officer accreditation list",
		"govctl --org Oversight --as inspector budget trace " + d.appropriationID(),
		"govctl --org Oversight --as inspector case show IC-" + d.run,
	} {
		fmt.Fprintf(d.w, "  .cache/bin/%s\n", line)
	}
}

// indent writes every line four spaces in.
type indent struct{ w io.Writer }

func (i indent) Write(p []byte) (int, error) {
	lines := strings.SplitAfter(string(p), "\n")
	for _, l := range lines {
		if l == "" {
			continue
		}
		if _, err := io.WriteString(i.w, "    "+l); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}
