// Package keyscan checks that agencies keep to their own keys: it reads
// every file of every agency's folder and reports any private key that is
// not the agency's own, and any enrollment secret of one agency found in
// another agency's folder. Integration tests run it on the folders of a
// real consortium.
package keyscan

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
)

// Finding is one breach of separation.
type Finding struct {
	Agency string // whose folder holds it
	Path   string
	What   string
}

func (f Finding) String() string { return fmt.Sprintf("%s: %s: %s", f.Agency, f.Path, f.What) }

// Result is what a scan read and found.
type Result struct {
	PrivateKeys int // private keys read, in all folders
	Secrets     int // enrollment secrets looked for
	Findings    []Finding
}

// Scan reads the folders of agencies (name to folder). A private key is an
// agency's own when its public key belongs to a certificate issued by one
// of the agency's own roots (ca.pem, tlsca.pem, orderingca.pem) or to one
// of those roots;
// Fabric CA's Idemix revocation keys (IssuerRevocationPrivateKey), which
// no certificate names, count as the agency's own. Besides, no key may be
// in two agencies' folders.
func Scan(agencies map[string]string) (*Result, error) {
	res := &Result{}
	names := make([]string, 0, len(agencies))
	for name := range agencies {
		names = append(names, name)
	}
	sort.Strings(names)
	files := map[string]map[string][]byte{} // agency -> path -> content
	for _, name := range names {
		files[name] = map[string][]byte{}
		err := filepath.WalkDir(agencies[name], func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.Type().IsRegular() {
				return nil
			}
			info, err := d.Info()
			if err != nil || info.Size() > 4<<20 {
				return err // ledgers' large files hold no keys
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			files[name][path] = data
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read %s's folder: %w", name, err)
		}
	}
	holders := map[string]string{} // public key -> first agency found holding its private key
	for _, name := range names {
		own, err := ownPublicKeys(agencies[name], files[name])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for _, path := range sortedKeys(files[name]) {
			for _, key := range privateKeys(files[name][path]) {
				res.PrivateKeys++
				if holder, ok := holders[string(key)]; ok && holder != name {
					res.Findings = append(res.Findings, Finding{name, path, "a private key that " + holder + "'s folder holds too"})
				}
				holders[string(key)] = name
				if filepath.Base(path) == idemixRevocationKey {
					continue
				}
				if !slices.ContainsFunc(own, func(pub []byte) bool { return bytes.Equal(pub, key) }) {
					res.Findings = append(res.Findings, Finding{name, path, "a private key that no certificate of the agency's own CAs names"})
				}
			}
		}
	}
	for _, owner := range names {
		secrets, err := readSecrets(filepath.Join(agencies[owner], "ca", "secrets.json"))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", owner, err)
		}
		res.Secrets += len(secrets)
		for _, other := range names {
			if other == owner {
				continue
			}
			for _, path := range sortedKeys(files[other]) {
				for id, secret := range secrets {
					if bytes.Contains(files[other][path], []byte(secret)) {
						res.Findings = append(res.Findings, Finding{other, path, fmt.Sprintf("the enrollment secret of %s's %s", owner, id)})
					}
				}
			}
		}
	}
	return res, nil
}

// idemixRevocationKey is the file in which Fabric CA keeps a CA's Idemix
// revocation key.
const idemixRevocationKey = "IssuerRevocationPrivateKey"

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ownPublicKeys returns the public keys of the agency's roots and of every
// certificate in its folder that those roots issued.
func ownPublicKeys(dir string, files map[string][]byte) ([][]byte, error) {
	roots := x509.NewCertPool()
	var out [][]byte
	for _, name := range []string{"ca.pem", "tlsca.pem", "orderingca.pem"} {
		data, ok := files[filepath.Join(dir, name)]
		if !ok && name == "orderingca.pem" {
			continue // only orderer operators have an ordering CA
		}
		if !ok {
			return nil, fmt.Errorf("no %s in %s", name, dir)
		}
		for _, cert := range certificates(data) {
			roots.AddCert(cert)
			out = append(out, publicKeyBytes(cert.PublicKey))
		}
	}
	for _, path := range sortedKeys(files) {
		for _, cert := range certificates(files[path]) {
			if _, err := cert.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err == nil {
				out = append(out, publicKeyBytes(cert.PublicKey))
			}
		}
	}
	return out, nil
}

func certificates(data []byte) []*x509.Certificate {
	var out []*x509.Certificate
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return out
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		if cert, err := x509.ParseCertificate(block.Bytes); err == nil {
			out = append(out, cert)
		}
	}
}

// privateKeys returns the public keys of the private keys in data.
func privateKeys(data []byte) [][]byte {
	var out [][]byte
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return out
		}
		var key any
		var err error
		switch block.Type {
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
		case "EC PRIVATE KEY":
			key, err = x509.ParseECPrivateKey(block.Bytes)
		default:
			continue
		}
		if err != nil {
			// Not a key this scan can read: it stands for itself.
			out = append(out, append([]byte("unreadable key "), block.Bytes...))
			continue
		}
		if signer, ok := key.(crypto.Signer); ok {
			out = append(out, publicKeyBytes(signer.Public()))
		}
	}
}

func publicKeyBytes(pub any) []byte {
	if k, ok := pub.(*ecdsa.PublicKey); ok {
		if b, err := k.Bytes(); err == nil {
			return b
		}
	}
	b, _ := x509.MarshalPKIXPublicKey(pub)
	return b
}

func readSecrets(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read enrollment secrets: %w", err)
	}
	var secrets map[string]string
	if err := json.Unmarshal(data, &secrets); err != nil {
		return nil, fmt.Errorf("read enrollment secrets %s: %w", path, err)
	}
	return secrets, nil
}
