package audit

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// channelConfig is what the audit needs of a channel configuration: the
// MSPs of the ordering organisations and of the application (member)
// organisations, and the BFT consenters that sign by number.
type channelConfig struct {
	block       uint64 // the configuration block that set it
	orderers    map[string]*orgMSP
	members     map[string]*orgMSP
	consenterID map[uint32][]byte // BFT consenter ID -> its serialized identity
}

// orgMSP is one organisation's MSP as the configuration defines it.
type orgMSP struct {
	id            string
	roots         *x509.CertPool
	intermediates *x509.CertPool
	revoked       map[string]bool // issuer DN + serial of every revoked certificate
	signers       map[string]*signerCert
}

// signerCert is a certificate of a signer, parsed and checked once per
// configuration: a chain has few signers and many signatures.
type signerCert struct {
	who string // common name @ MSP ID, for reports
	key *ecdsa.PublicKey
	err error
}

// configOf decodes the configuration a configuration block carries.
func configOf(b *common.Block) (*channelConfig, error) {
	if len(b.GetData().GetData()) != 1 {
		return nil, fmt.Errorf("a configuration block holds one transaction, block %d holds %d", b.GetHeader().GetNumber(), len(b.GetData().GetData()))
	}
	_, payload, ch, err := decodeEnvelope(b.GetData().GetData()[0])
	if err != nil {
		return nil, err
	}
	if common.HeaderType(ch.GetType()) != common.HeaderType_CONFIG {
		return nil, fmt.Errorf("block %d is not a configuration block (%s)", b.GetHeader().GetNumber(), common.HeaderType(ch.GetType()))
	}
	var ce common.ConfigEnvelope
	if err := proto.Unmarshal(payload.GetData(), &ce); err != nil {
		return nil, fmt.Errorf("decode the configuration of block %d: %w", b.GetHeader().GetNumber(), err)
	}
	root := ce.GetConfig().GetChannelGroup()
	if root == nil {
		return nil, fmt.Errorf("the configuration of block %d has no channel group", b.GetHeader().GetNumber())
	}
	cfg := &channelConfig{block: b.GetHeader().GetNumber(), consenterID: map[uint32][]byte{}}
	if cfg.orderers, err = groupMSPs(root.GetGroups()["Orderer"]); err != nil {
		return nil, err
	}
	if cfg.members, err = groupMSPs(root.GetGroups()["Application"]); err != nil {
		return nil, err
	}
	if v, ok := root.GetGroups()["Orderer"].GetValues()["Orderers"]; ok {
		var os common.Orderers
		if err := proto.Unmarshal(v.GetValue(), &os); err != nil {
			return nil, fmt.Errorf("decode the consenters of block %d: %w", b.GetHeader().GetNumber(), err)
		}
		for _, c := range os.GetConsenterMapping() {
			id, _ := proto.Marshal(&msp.SerializedIdentity{Mspid: c.GetMspId(), IdBytes: c.GetIdentity()})
			cfg.consenterID[c.GetId()] = id
		}
	}
	if len(cfg.orderers) == 0 {
		return nil, fmt.Errorf("the configuration of block %d names no ordering organisation", b.GetHeader().GetNumber())
	}
	return cfg, nil
}

// groupMSPs reads the MSP of every organisation of a configuration group
// (Orderer or Application).
func groupMSPs(g *common.ConfigGroup) (map[string]*orgMSP, error) {
	out := map[string]*orgMSP{}
	for name, org := range g.GetGroups() {
		v, ok := org.GetValues()["MSP"]
		if !ok {
			continue
		}
		m, err := parseMSP(v.GetValue())
		if err != nil {
			return nil, fmt.Errorf("MSP of %s: %w", name, err)
		}
		out[m.id] = m
	}
	return out, nil
}

func parseMSP(value []byte) (*orgMSP, error) {
	var mc msp.MSPConfig
	if err := proto.Unmarshal(value, &mc); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	var fc msp.FabricMSPConfig
	if err := proto.Unmarshal(mc.GetConfig(), &fc); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	m := &orgMSP{id: fc.GetName(), roots: x509.NewCertPool(), intermediates: x509.NewCertPool(), revoked: map[string]bool{}, signers: map[string]*signerCert{}}
	for _, c := range fc.GetRootCerts() {
		if !m.roots.AppendCertsFromPEM(c) {
			return nil, fmt.Errorf("%s: a root certificate does not parse", m.id)
		}
	}
	for _, c := range fc.GetIntermediateCerts() {
		m.intermediates.AppendCertsFromPEM(c)
	}
	for _, der := range fc.GetRevocationList() {
		if block, _ := pem.Decode(der); block != nil {
			der = block.Bytes
		}
		crl, err := x509.ParseRevocationList(der)
		if err != nil {
			return nil, fmt.Errorf("%s: revocation list: %w", m.id, err)
		}
		for _, r := range crl.RevokedCertificateEntries {
			m.revoked[string(crl.RawIssuer)+"/"+r.SerialNumber.String()] = true
		}
	}
	return m, nil
}

// signer parses a signer's PEM certificate and checks that it was issued
// under one of the MSP's roots and is not revoked. Like Fabric's MSP it
// checks the chain as of the certificate's own start of validity, so that
// a ledger stays auditable after its signers' certificates expire.
func (m *orgMSP) signer(certPEM []byte) *signerCert {
	if s, ok := m.signers[string(certPEM)]; ok {
		return s
	}
	s := &signerCert{who: "?@" + m.id}
	s.err = func() error {
		block, _ := pem.Decode(certPEM)
		if block == nil {
			return fmt.Errorf("the signer of %s carries no certificate", m.id)
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return fmt.Errorf("the signer's certificate: %w", err)
		}
		s.who = cert.Subject.CommonName + "@" + m.id
		if _, err := cert.Verify(x509.VerifyOptions{
			Roots: m.roots, Intermediates: m.intermediates,
			CurrentTime: cert.NotBefore.Add(time.Second), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
		}); err != nil {
			return fmt.Errorf("the certificate of %q is not one of %s's: %w", cert.Subject.CommonName, m.id, err)
		}
		if m.revoked[string(cert.RawIssuer)+"/"+cert.SerialNumber.String()] {
			return fmt.Errorf("the certificate of %q is revoked by %s", cert.Subject.CommonName, m.id)
		}
		key, ok := cert.PublicKey.(*ecdsa.PublicKey)
		if !ok {
			return fmt.Errorf("%s signs with a key that is not ECDSA", s.who)
		}
		s.key = key
		return nil
	}()
	m.signers[string(certPEM)] = s
	return s
}

// errNotInConfig marks a signer whose MSP the configuration in force does
// not have among those allowed.
var errNotInConfig = errors.New("not an MSP of the configuration in force")

// verifySigned checks that signature is creator's over msg: creator is a
// serialized identity of one of msps, its certificate chains to that MSP's
// roots, and the ECDSA signature (low S, as Fabric requires) verifies over
// the SHA-256 of msg. It returns who signed, for reports.
func verifySigned(msps map[string]*orgMSP, creator, msg, signature []byte) (string, error) {
	var id msp.SerializedIdentity
	if err := proto.Unmarshal(creator, &id); err != nil {
		return "", fmt.Errorf("decode the signer: %w", err)
	}
	m, ok := msps[id.GetMspid()]
	if !ok {
		return id.GetMspid(), fmt.Errorf("%s: %w", id.GetMspid(), errNotInConfig)
	}
	s := m.signer(id.GetIdBytes())
	if s.err != nil {
		return s.who, s.err
	}
	if !lowS(s.key, signature) {
		return s.who, fmt.Errorf("the signature of %s is not in the low-S form Fabric accepts", s.who)
	}
	digest := sha256.Sum256(msg)
	if !ecdsa.VerifyASN1(s.key, digest[:], signature) {
		return s.who, fmt.Errorf("the signature of %s does not verify over what it signs", s.who)
	}
	return s.who, nil
}

// lowS reports whether an ASN.1 ECDSA signature has s in the lower half
// of the curve order.
func lowS(key *ecdsa.PublicKey, der []byte) bool {
	var sig struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(der, &sig); err != nil || sig.S == nil {
		return false
	}
	return sig.S.Cmp(new(big.Int).Rsh(key.Curve.Params().N, 1)) <= 0
}

// union returns the MSPs of both maps.
func union(a, b map[string]*orgMSP) map[string]*orgMSP {
	out := make(map[string]*orgMSP, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
