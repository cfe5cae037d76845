package govclient_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/education"
	govclient "github.com/govshare/govshare/gateway-client"
)

// The examples that talk to a network are compiled but not run: they need
// the folders a running network writes (make network-up). Those without a
// network have their output checked.

// orgDir is an organisation's folder in the state of `make network-up`.
const orgDir = ".govshare/network/organizations/UniversityA"

// Open a client of one organisation and choose the role it signs as. The
// client holds one gRPC connection to the organisation's gateway peer;
// every role and channel share it.
func ExampleOpen() {
	c, err := govclient.Open(orgDir, govclient.WithRetries(3, 100*time.Millisecond))
	if err != nil {
		log.Fatal(err) // no folder, or no gateway peer where it says
	}
	defer c.Close()
	fmt.Println(c.Organization(), c.MSPID(), c.Roles())

	registrar, err := c.As("registrar") // signs with the registrar's certificate and key
	if err != nil {
		log.Fatal(err) // the folder has no such role
	}
	fmt.Println("signing as", registrar.Role(), "of", registrar.MSPID())
}

// recordCredit is the README's example: a typed write that waits for its
// commit.
func recordCredit(ctx context.Context, request education.RecordCreditRequest, student education.StudentDetails) error {
	c, err := govclient.Open(".govshare/network/organizations/UniversityA") // one gRPC connection per organisation
	if err != nil {
		return err
	}
	defer c.Close()
	registrar, err := c.As("registrar") // signs with that role's key
	if err != nil {
		return err
	}
	credit, receipt, err := registrar.Education().RecordCredit(ctx, request, student)
	if err != nil {
		return err // a *govclient.TxError: which stage failed, which peer refused and why
	}
	fmt.Printf("credit %s committed in block %d, transaction %s\n", credit.CreditID, receipt.BlockNumber, receipt.TransactionID)
	return nil
}

// Record a credit: a typed write with the contract's own request type,
// the student's personal data as transient data, and the *TxError that
// says why a refused write was refused.
func ExampleEducation_RecordCredit() {
	ctx := context.Background()
	salts, err := govclient.LoadStudentSalts(orgDir) // the university's secret for its students' salts
	if err != nil {
		log.Fatal(err)
	}
	student, ref := salts.Student("S2026001", "Li Hua", "2004-03-01")
	request := education.RecordCreditRequest{CreditID: "UA-2026-0001", StudentRef: ref, CourseCode: "CS101",
		CourseTitle: "Programming 1", CreditTenths: 75, Grade: "A", Term: "2026-spring"}

	err = recordCredit(ctx, request, student)
	var txErr *govclient.TxError
	switch {
	case errors.As(err, &txErr) && txErr.Stage == govclient.StageEndorse:
		// the contract or a peer refused it: nothing was written
		for _, p := range txErr.Peers {
			fmt.Println("refused by", p.MSPID, "at", p.Address)
		}
		fmt.Println("because:", txErr.Message())
	case err != nil:
		log.Fatal(err)
	}
}

// A TxError names the function, the stage that failed, the refusing
// peers and the contract's message; errors.As finds it in a wrapped error.
func ExampleTxError() {
	refusal := &govclient.TxError{
		Stage: govclient.StageEndorse, Channel: consortium.FinanceChannel, Chaincode: "finance", Function: "Disburse",
		TransactionID: "4f1c", Attempts: 1,
		Peers: []govclient.PeerError{{MSPID: consortium.EduMinistryMSP, Address: "peer0.edu-ministry.govshare.test:27016",
			Message: "chaincode response 500, allocation \"A-1\" has 20000 EUR left, the payment is 25000 EUR"}},
	}
	err := fmt.Errorf("pay invoice 17: %w", refusal)

	var txErr *govclient.TxError
	if errors.As(err, &txErr) {
		fmt.Println(txErr.Stage, txErr.Function, "on", txErr.Channel)
		fmt.Println("contract says:", txErr.Message())
		fmt.Println("retry may help:", txErr.Conflict() || txErr.Unreachable())
	}
	fmt.Println(err)
	// Output:
	// endorse Disburse on finance-ledger
	// contract says: allocation "A-1" has 20000 EUR left, the payment is 25000 EUR
	// retry may help: false
	// pay invoice 17: Disburse on finance-ledger/finance was refused: allocation "A-1" has 20000 EUR left, the payment is 25000 EUR [by EduMinistryMSP at peer0.edu-ministry.govshare.test:27016] [tx 4f1c]
}

// Read a student's transcript: a query, evaluated on the organisation's
// peer, a page at a time.
func ExampleEducation_GetTranscript() {
	ctx := context.Background()
	c, err := govclient.Open(orgDir)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	registrar, err := c.As("registrar")
	if err != nil {
		log.Fatal(err)
	}
	salts, err := govclient.LoadStudentSalts(orgDir)
	if err != nil {
		log.Fatal(err)
	}
	_, ref := salts.Student("S2026001", "", "")
	for bookmark := ""; ; {
		page, err := registrar.Education().GetTranscript(ctx, ref, 50, bookmark)
		if err != nil {
			log.Fatal(err)
		}
		for _, e := range page.Entries {
			if e.Credit != nil {
				fmt.Println(e.Credit.CreditID, e.Credit.CourseCode, e.Credit.Status)
			}
		}
		if bookmark = page.Bookmark; bookmark == "" {
			fmt.Printf("%d active credits (%d tenths)\n", page.ActiveCreditCount, page.ActiveCreditTenths)
			return
		}
	}
}

// Follow every change on the organisation's channels. The checkpoint
// files in the folder make a listener that stops, or is killed, resume
// right after the last change it handled: run it again and it goes on.
func ExampleSession_Changes() {
	c, err := govclient.Open(".govshare/network/organizations/Oversight")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	inspector, err := c.As("inspector")
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := context.WithTimeout(context.Background(), time.Minute)
	defer stop()
	// Without a checkpoint yet, start at today's heights: only new changes.
	start, err := inspector.ChainHeights(ctx, c.Channels())
	if err != nil {
		log.Fatal(err)
	}
	seen := 0
	err = inspector.Changes(ctx, c.Channels(), "oversight-checkpoints", start, func(ch govclient.Change) error {
		fmt.Println(ch.Channel, ch.BlockNumber, ch.Creator, ch.Function, ch.Valid, len(ch.Writes), "writes")
		if seen++; seen == 100 {
			return govclient.ErrStop // checkpointed: the next run starts with the 101st
		}
		return nil
	})
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		log.Fatal(err) // a broken stream is reported, never a quiet end
	}
}
