// Package profile reads and writes the client profile of an organisation:
// the connection.json file in each organisation's generated folder that says
// which peer to use as the gateway, which TLS root to trust, which channels
// the organisation belongs to, and where each role's certificate and key are.
// Paths in the file are relative to its folder, so the folder can be copied
// to the machine where the organisation's clients run.
package profile

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// FileName is the profile's file name in an organisation's folder.
const FileName = "connection.json"

// Profile is what a client of one organisation needs to reach the network.
type Profile struct {
	Organization string   `json:"organization"`
	MSPID        string   `json:"mspId"`
	Gateway      Endpoint `json:"gateway"`
	Channels     []string `json:"channels"`
	Users        []User   `json:"users"`

	dir string
}

// Endpoint is a peer a client dials.
type Endpoint struct {
	// Name is the peer's host name, which its TLS certificate names.
	Name string `json:"name"`
	// Address is the host:port to dial.
	Address string `json:"address"`
	// TLSRootCert is the file of the CA certificate that signed the peer's
	// TLS certificate.
	TLSRootCert string `json:"tlsRootCert"`
}

// User is one role's credentials.
type User struct {
	Role        string `json:"role"`
	Certificate string `json:"certificate"`
	PrivateKey  string `json:"privateKey"`
}

// Load reads the profile in an organisation's folder.
func Load(dir string) (*Profile, error) {
	data, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		return nil, fmt.Errorf("read client profile: %w", err)
	}
	var p Profile
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("read client profile %s: %w", filepath.Join(dir, FileName), err)
	}
	if p.MSPID == "" || p.Gateway.Address == "" {
		return nil, fmt.Errorf("client profile %s names no MSP ID or gateway address", filepath.Join(dir, FileName))
	}
	p.dir = dir
	return &p, nil
}

// Save writes the profile into dir.
func (p *Profile) Save(dir string) error {
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return fmt.Errorf("encode client profile: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, FileName), append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("write client profile: %w", err)
	}
	p.dir = dir
	return nil
}

// ErrNoRole is returned for a role the organisation has no user for.
var ErrNoRole = errors.New("no user with that role")

// User returns the credentials of a role, with absolute paths.
func (p *Profile) User(role string) (User, error) {
	for _, u := range p.Users {
		if u.Role == role {
			u.Certificate, u.PrivateKey = p.Path(u.Certificate), p.Path(u.PrivateKey)
			return u, nil
		}
	}
	roles := make([]string, 0, len(p.Users))
	for _, u := range p.Users {
		roles = append(roles, u.Role)
	}
	return User{}, fmt.Errorf("%s has %w %q (roles: %v)", p.Organization, ErrNoRole, role, roles)
}

// Path resolves a path from the profile against the profile's folder.
func (p *Profile) Path(rel string) string {
	if filepath.IsAbs(rel) {
		return rel
	}
	return filepath.Join(p.dir, rel)
}
