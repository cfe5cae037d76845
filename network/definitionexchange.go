package network

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Definitions an agency exchanges: its own, written from its certificates,
// and those of the other organisations, accepted after inspection.

// Definition returns the agency's public definition, read from the
// certificates [Agency.Init] enrolled.
func (a *Agency) Definition() (*Definition, error) {
	read := func(path string) (string, error) {
		data, err := os.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("definition of %s: %w (has the agency been set up?)", a.Org.Name, err)
		}
		return string(data), nil
	}
	d := &Definition{Format: DefinitionFormat, Name: a.Org.Name, MSPID: a.Org.MSPID, Domain: a.Org.Domain, NodeOUs: govshareNodeOUs}
	var err error
	if d.CACert, err = read(a.caCertFile()); err != nil {
		return nil, err
	}
	if d.TLSCACert, err = read(a.tlsCACertFile()); err != nil {
		return nil, err
	}
	for _, p := range a.Peers {
		d.Peers = append(d.Peers, PeerEndpoint{Name: p.Name, Host: p.ID(), Address: p.Address(), Anchor: true})
	}
	if len(a.Orderers) > 0 {
		d.Ordering = &OrderingDefinition{MSPID: a.Org.OrderingMSPID()}
		if d.Ordering.CACert, err = read(a.orderingCACertFile()); err != nil {
			return nil, err
		}
	}
	for _, o := range a.Orderers {
		e := OrdererEndpoint{Name: o.Name, Host: o.ID(), Address: o.Address()}
		if e.TLSCert, err = read(a.ordererTLS(o).Cert); err != nil {
			return nil, err
		}
		if e.IdentityCert, err = read(filepath.Join(a.ordererMSPDir(o), "signcerts", "cert.pem")); err != nil {
			return nil, err
		}
		d.Ordering.Orderers = append(d.Ordering.Orderers, e)
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("definition of %s: %w", a.Org.Name, err)
	}
	return d, nil
}

// writeDefinition writes the agency's definition into its folder, where its
// operator picks it up to send to the others.
func (a *Agency) writeDefinition() (*Definition, error) {
	d, err := a.Definition()
	if err != nil {
		return nil, err
	}
	data, err := d.Encode()
	if err != nil {
		return nil, err
	}
	return d, writeFile(a.DefinitionFile(), data, 0o644)
}

// ErrDefinitionChanged is returned by Accept for a definition that differs
// from the one the agency accepted before for the same organisation.
var ErrDefinitionChanged = errors.New("the organisation's definition differs from the one accepted before")

// Accept records another agency's definition as known, after checking it
// and checking it against the consortium's description. From then on the
// agency puts it in the channels it makes, verifies channels it joins
// against it, and reaches the organisation's nodes through it. A definition
// that differs from one accepted before is refused with
// ErrDefinitionChanged unless replace is true: a changed root certificate
// or node is a decision, never a side effect.
func (a *Agency) Accept(d *Definition, replace bool) error {
	if err := d.Validate(); err != nil {
		return fmt.Errorf("definition of %s: %w", d.Name, err)
	}
	if err := d.CheckAgainst(a.Spec); err != nil {
		return err
	}
	if d.Name == a.Org.Name {
		return fmt.Errorf("the definition is of %s itself: an agency publishes its own, it does not accept it", d.Name)
	}
	if known, err := a.known(d.Name); err == nil && known.Fingerprint() != d.Fingerprint() && !replace {
		return fmt.Errorf("%s: %w (accepted %s, offered %s); accept it with replace once its administrator has confirmed the change",
			d.Name, ErrDefinitionChanged, known.Fingerprint(), d.Fingerprint())
	}
	dir := a.knownDir(d.Name)
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("accept %s: %w", d.Name, err)
	}
	if err := writeMSP(filepath.Join(dir, "msp"), []byte(d.CACert), []byte(d.TLSCACert), nil); err != nil {
		return err
	}
	if d.Ordering != nil {
		if err := writeMSP(filepath.Join(dir, "ordering", "msp"), []byte(d.Ordering.CACert), []byte(d.TLSCACert), nil); err != nil {
			return err
		}
	}
	for _, o := range d.Orderers() {
		if err := writeFile(filepath.Join(dir, "orderers", o.Name, "tls-cert.pem"), []byte(o.TLSCert), 0o644); err != nil {
			return err
		}
		if err := writeFile(filepath.Join(dir, "orderers", o.Name, "identity-cert.pem"), []byte(o.IdentityCert), 0o644); err != nil {
			return err
		}
	}
	data, err := d.Encode()
	if err != nil {
		return err
	}
	// The definition last: its presence marks the organisation known.
	return writeFile(a.knownFile(d.Name), data, 0o644)
}

// known returns the accepted definition of another organisation.
func (a *Agency) known(name string) (*Definition, error) {
	path := a.knownFile(name)
	if !fileExists(path) {
		return nil, fmt.Errorf("%s has not accepted a definition of %s (`govnet org accept`)", a.Org.Name, name)
	}
	return LoadDefinition(path)
}

// definitionOf returns the definition of any organisation of the
// consortium: the agency's own, or one it accepted.
func (a *Agency) definitionOf(org *Organization) (*Definition, error) {
	if org == a.Org {
		return a.Definition()
	}
	return a.known(org.Name)
}

// Known lists the organisations whose definitions the agency has accepted,
// in the order of the description.
func (a *Agency) Known() []*Organization {
	var out []*Organization
	for _, org := range a.Spec.Organizations {
		if org != a.Org && fileExists(a.knownFile(org.Name)) {
			out = append(out, org)
		}
	}
	return out
}

// orgMSPDirOf is the MSP folder of an organisation as the agency holds it:
// its own, or the one materialised from an accepted definition.
func (a *Agency) orgMSPDirOf(org *Organization) string {
	if org == a.Org {
		return a.mspDir()
	}
	return filepath.Join(a.knownDir(org.Name), "msp")
}

// orderingMSPDirOf is the MSP folder of an organisation's ordering
// organisation as the agency holds it.
func (a *Agency) orderingMSPDirOf(org *Organization) string {
	if org == a.Org {
		return a.orderingMSPDir()
	}
	return filepath.Join(a.knownDir(org.Name), "ordering", "msp")
}

// tlsRootOf is the TLS root certificate file of an organisation.
func (a *Agency) tlsRootOf(org *Organization) string {
	if org == a.Org {
		return a.tlsCACertFile()
	}
	return filepath.Join(a.knownDir(org.Name), "msp", "tlscacerts", "ca.pem")
}

// consenterCertsOf are the files of an orderer's TLS and identity
// certificates, as the agency holds them.
func (a *Agency) consenterCertsOf(org *Organization, name string) (tlsCert, identityCert string) {
	if org == a.Org {
		for _, o := range a.Orderers {
			if o.Name == name {
				return a.ordererTLS(o).Cert, filepath.Join(a.ordererMSPDir(o), "signcerts", "cert.pem")
			}
		}
	}
	dir := filepath.Join(a.knownDir(org.Name), "orderers", name)
	return filepath.Join(dir, "tls-cert.pem"), filepath.Join(dir, "identity-cert.pem")
}
