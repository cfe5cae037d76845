package education_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// transcriptScenario records credits of one student at both universities,
// recognitions and revocations, plus credits of another student, and
// returns what the student's transcript must contain, worked out as the
// scenario is written.
type transcriptScenario struct {
	student      student
	wantEntries  []string // "credit <id> <status>" or "recognition <id> <by> <status>" in key order
	activeTenths int
	activeCount  int
}

func buildTranscript(t *testing.T, f *fixture) transcriptScenario {
	sc := transcriptScenario{student: newStudent(7)}
	other := newStudent(8)
	s := sc.student

	type plan struct {
		id        string
		issuer    string
		tenths    int
		recognise bool
		revoke    bool
	}
	plans := []plan{
		{"C-01", uniA, 75, true, false},
		{"C-02", uniB, 50, false, false},
		{"C-03", uniA, 60, false, true},
		{"C-04", uniA, 30, true, false},
		{"C-05", uniB, 100, true, true},
		{"C-06", uniA, 45, false, false},
		{"C-07", uniB, 15, false, false},
	}
	clients := map[string]*fixtureClient{uniA: {f.regA, f.regB, uniB}, uniB: {f.regB, f.regA, uniA}}
	for i, p := range plans {
		c := clients[p.issuer]
		_, err := f.recordCredit(c.issuer, s, creditRequest(p.id, s, p.tenths))
		require.NoError(t, err)
		_, err = f.recordCredit(c.issuer, other, creditRequest(fmt.Sprintf("OTHER-%d", i), other, 10))
		require.NoError(t, err)
		status := education.StatusActive
		if p.revoke {
			_, err = f.revokeCredit(c.issuer, p.id, "error")
			require.NoError(t, err)
			status = education.StatusRevoked
		} else {
			sc.activeTenths += p.tenths
			sc.activeCount++
		}
		sc.wantEntries = append(sc.wantEntries, "credit "+p.id+" "+status)
		if p.recognise && !p.revoke {
			_, err = f.recognise(c.other, p.id, p.tenths)
			require.NoError(t, err)
			sc.wantEntries = append(sc.wantEntries, "recognition "+p.id+" "+c.otherMSP+" active")
		}
	}
	return sc
}

// fixtureClient pairs a university's registrar with the other university's.
type fixtureClient struct {
	issuer, other *ledgertest.Client
	otherMSP      string
}

func describe(e education.TranscriptEntry) string {
	if e.Kind == education.KindCredit {
		return "credit " + e.Credit.CreditID + " " + e.Credit.Status
	}
	return "recognition " + e.Recognition.CreditID + " " + e.Recognition.RecognisedBy + " " + e.Recognition.Status
}

func TestTranscriptAcrossPages(t *testing.T) {
	f := newFixture(t)
	sc := buildTranscript(t, f)

	for _, pageSize := range []int32{1, 3, 4, 100} {
		t.Run(fmt.Sprintf("page size %d", pageSize), func(t *testing.T) {
			var entries []string
			bookmark := ""
			for pages := 1; ; pages++ {
				require.LessOrEqual(t, pages, 20, "pagination must end")
				page, err := f.transcript(f.inspector, sc.student.ref, pageSize, bookmark)
				require.NoError(t, err)
				assert.Equal(t, sc.student.ref, page.StudentRef)
				assert.LessOrEqual(t, len(page.Entries), int(pageSize))
				assert.Equal(t, int32(len(page.Entries)), page.Count)
				assert.Equal(t, sc.activeTenths, page.ActiveCreditTenths, "the total covers the whole transcript on every page")
				assert.Equal(t, sc.activeCount, page.ActiveCreditCount)
				for _, e := range page.Entries {
					entries = append(entries, describe(e))
					if e.Kind == education.KindCredit {
						assert.Equal(t, sc.student.ref, e.Credit.StudentRef)
						assert.Nil(t, e.Recognition)
					} else {
						assert.Equal(t, sc.student.ref, e.Recognition.StudentRef)
						assert.Nil(t, e.Credit)
					}
				}
				if page.Bookmark == "" {
					break
				}
				bookmark = page.Bookmark
			}
			assert.Equal(t, sc.wantEntries, entries, "every entry once, each credit followed by its recognitions")
		})
	}
}

func TestTranscriptRefusals(t *testing.T) {
	f := newFixture(t)
	sc := buildTranscript(t, f)
	page, err := f.transcript(f.regA, sc.student.ref, 2, "")
	require.NoError(t, err)
	other, err := f.transcript(f.regA, newStudent(8).ref, 2, "")
	require.NoError(t, err)
	require.NotEmpty(t, other.Bookmark)

	tests := []struct {
		name    string
		ref     string
		size    int32
		mark    string
		phrases []string
	}{
		{"student number instead of reference", "S000007", 10, "", []string{"studentRef: must be a SHA-256 digest"}},
		{"negative page size", sc.student.ref, -1, "", []string{"pageSize"}},
		{"bookmark of another student", sc.student.ref, 2, other.Bookmark, []string{"bookmark"}},
		{"forged bookmark", sc.student.ref, 2, "AAAA", []string{"bookmark"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrInvalidInput, tt.phrases...), func() error {
				_, err := f.transcript(f.inspector, tt.ref, tt.size, tt.mark)
				return err
			})
		})
	}
	assert.NotEmpty(t, page.Bookmark)

	empty, err := f.transcript(f.inspector, newStudent(99).ref, 0, "")
	require.NoError(t, err)
	assert.Empty(t, empty.Entries)
	assert.NotNil(t, empty.Entries)
	assert.Zero(t, empty.ActiveCreditTenths)
}
