package govclient

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/govshare/govshare/chaincode/education"
)

// SaltKeyFile is the file, in a university's folder, of the secret from
// which its students' salts are derived.
const SaltKeyFile = "student-salt.key"

// StudentSalts derives each student's salt from a university's secret key,
// so that the same student always gets the same reference at that
// university without the university keeping a table of salts. The key
// never leaves the university; the salt goes only to its private
// collection, never to the shared ledger.
type StudentSalts struct{ key []byte }

// LoadStudentSalts reads a university's salt key from its folder, making a
// new random one (mode 0600) the first time.
func LoadStudentSalts(orgDir string) (*StudentSalts, error) {
	path := filepath.Join(orgDir, SaltKeyFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if err := createSaltKey(path); err != nil {
			return nil, err
		}
		return LoadStudentSalts(orgDir)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(key) < 16 {
		return nil, fmt.Errorf("%s does not hold a hex key of at least 16 bytes", path)
	}
	return &StudentSalts{key: key}, nil
}

// createSaltKey writes a new random key to path, whole or not at all: into
// a temporary file first, then linked into place, so that a crash never
// leaves an empty key and two processes never make two keys.
func createSaltKey(path string) error {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return fmt.Errorf("make a salt key: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+SaltKeyFile+".*")
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	// CreateTemp made the file 0600. Link fails if another process was
	// first: then its key is the one.
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("create %s: %w", path, err)
	}
	return nil
}

// Salt returns a student's salt: 16 bytes in lower-case hex.
func (s *StudentSalts) Salt(studentNumber string) string {
	mac := hmac.New(sha256.New, s.key)
	mac.Write([]byte(studentNumber))
	return hex.EncodeToString(mac.Sum(nil)[:16])
}

// Student returns a student's details with the derived salt, and the
// reference the ledger knows the student by.
func (s *StudentSalts) Student(studentNumber, fullName, birthDate string) (education.StudentDetails, string) {
	d := education.StudentDetails{StudentNumber: studentNumber, FullName: fullName, BirthDate: birthDate, Salt: s.Salt(studentNumber)}
	return d, education.StudentRef(d.Salt, studentNumber)
}
