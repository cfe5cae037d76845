package education_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// fuzzTarget is a write function with the caller allowed to call it.
type fuzzTarget struct {
	name   string
	caller func(f *fixture) *ledgertest.Client
	call   func(c *education.Contract, ctx ctxT, request string) (any, error)
}

func fuzzTargets() []fuzzTarget {
	officer := func(f *fixture) *ledgertest.Client { return f.officer }
	registrarA := func(f *fixture) *ledgertest.Client { return f.regA }
	registrarB := func(f *fixture) *ledgertest.Client { return f.regB }
	return []fuzzTarget{
		{"AccreditUniversity", officer, func(c *education.Contract, ctx ctxT, r string) (any, error) { return c.AccreditUniversity(ctx, r) }},
		{"SuspendAccreditation", officer, func(c *education.Contract, ctx ctxT, r string) (any, error) { return c.SuspendAccreditation(ctx, r) }},
		{"ReinstateAccreditation", officer, func(c *education.Contract, ctx ctxT, r string) (any, error) { return c.ReinstateAccreditation(ctx, r) }},
		{"RecordCredit", registrarA, func(c *education.Contract, ctx ctxT, r string) (any, error) { return c.RecordCredit(ctx, r) }},
		{"RecogniseCredit", registrarB, func(c *education.Contract, ctx ctxT, r string) (any, error) { return c.RecogniseCredit(ctx, r) }},
		{"RevokeCredit", registrarA, func(c *education.Contract, ctx ctxT, r string) (any, error) { return c.RevokeCredit(ctx, r) }},
		{"RevokeRecognition", registrarB, func(c *education.Contract, ctx ctxT, r string) (any, error) { return c.RevokeRecognition(ctx, r) }},
		{"RegisterDiploma", registrarA, func(c *education.Contract, ctx ctxT, r string) (any, error) { return c.RegisterDiploma(ctx, r) }},
		{"RevokeDiploma", registrarA, func(c *education.Contract, ctx ctxT, r string) (any, error) { return c.RevokeDiploma(ctx, r) }},
		{"RegisterLearningResource", registrarB, func(c *education.Contract, ctx ctxT, r string) (any, error) {
			return c.RegisterLearningResource(ctx, r)
		}},
	}
}

// FuzzWriteFunctions calls a write function (chosen by the first input)
// with an arbitrary request and arbitrary transient student data, as a
// caller the function admits, on a ledger holding a credit, a recognition
// and a diploma. Whatever the input, the function must not panic; it
// either succeeds and emits one event, or returns an error that wraps one
// of the foundation's sentinels, says what is wrong, and leaves the ledger
// unchanged.
func FuzzWriteFunctions(f *testing.F) {
	s := newStudent(1)
	seeds := []struct {
		target    string
		request   string
		transient string
	}{
		{"AccreditUniversity", `{"mspId":"UniversityCMSP","name":"University C"}`, ""},
		{"SuspendAccreditation", `{"mspId":"UniversityBMSP","reason":"audit"}`, ""},
		{"ReinstateAccreditation", `{"mspId":"UniversityAMSP","reason":"x"}`, ""},
		{"RecordCredit", `{"creditId":"UA-9","studentRef":"` + s.ref + `","courseCode":"CS1","courseTitle":"T","creditTenths":10,"grade":"A","term":"t1"}`,
			`{"studentNumber":"` + s.details.StudentNumber + `","fullName":"N","birthDate":"2000-01-01","salt":"` + s.details.Salt + `"}`},
		{"RecordCredit", `{"creditId":"UA-9","creditTenths":1e3}`, `{"salt":"zz"}`},
		{"RecogniseCredit", `{"creditId":"UA-1","acceptedCreditTenths":10}`, ""},
		{"RecogniseCredit", `{"creditId":"UA-1","acceptedCreditTenths":-1,"creditId":"UA-1"}`, ""},
		{"RevokeCredit", `{"creditId":"UA-1","reason":"error"}`, ""},
		{"RevokeRecognition", `{"creditId":"UA-1","reason":"withdrawn"}`, ""},
		{"RegisterDiploma", `{"documentHash":"` + digestOf("new") + `","studentRef":"` + s.ref + `","degree":"BSc"}`, `{"studentNumber":"x"}`},
		{"RevokeDiploma", `{"documentHash":"` + digestOf("diploma") + `","reason":"r"}`, ""},
		{"RegisterLearningResource", `{"contentHash":"` + digestOf("n") + `","title":"T","author":"A","licence":"CC0-1.0"}`, ""},
		{"RegisterLearningResource", "{\"title\":\"\xff\"}", "\x00"},
		{"RevokeCredit", `{"creditId":"\u0000","reason":"\u10ffff"}`, ""},
		{"RevokeCredit", `{"creditId":"` + strings.Repeat("9", 70) + `","reason":"r"}`, ""},
	}
	targets := fuzzTargets()
	index := map[string]uint8{}
	for i, t := range targets {
		index[t.name] = uint8(i)
	}
	for _, seed := range seeds {
		f.Add(index[seed.target], seed.request, seed.transient)
	}

	base := newFixture(f)
	if _, err := base.recordCredit(base.regA, s, creditRequest("UA-1", s, 50)); err != nil {
		f.Fatal(err)
	}
	if _, err := base.recognise(base.regB, "UA-1", 50); err != nil {
		f.Fatal(err)
	}
	if _, err := base.registerDiploma(base.regA, s, education.RegisterDiplomaRequest{DocumentHash: digestOf("diploma"), StudentRef: s.ref, Degree: "BSc"}); err != nil {
		f.Fatal(err)
	}

	f.Fuzz(func(t *testing.T, which uint8, request, transient string) {
		target := targets[int(which)%len(targets)]
		fx := base.fork(t)

		client := target.caller(fx)
		if transient != "" {
			client = client.WithTransient(education.TransientStudent, []byte(transient))
		}
		before := fx.l.Snapshot()
		events := len(fx.l.Events())
		err := client.Submit(func(ctx ctxT) error {
			_, err := target.call(fx.c, ctx, request)
			return err
		})
		if err == nil {
			if len(fx.l.Events()) != events+1 {
				t.Fatalf("%s succeeded without emitting exactly one event", target.name)
			}
			return
		}
		known := false
		for _, sentinel := range []error{foundation.ErrInvalidInput, foundation.ErrNotFound, foundation.ErrAlreadyExists, foundation.ErrConflict, foundation.ErrAccessDenied} {
			known = known || errors.Is(err, sentinel)
		}
		if !known {
			t.Fatalf("%s(%q): error wraps no sentinel: %v", target.name, request, err)
		}
		if len(err.Error()) < len("invalid input: x") {
			t.Fatalf("%s: error says too little: %q", target.name, err)
		}
		if diff := fx.l.Diff(before); len(diff) > 0 {
			t.Fatalf("%s refused but changed the ledger: %v", target.name, diff)
		}
	})
}
