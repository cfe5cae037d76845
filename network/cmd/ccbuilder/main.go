// Command govshare-ccbuilder is the Fabric external chaincode builder of the
// govshare network. Peers run it, through the scripts in
// test-network-config/builders/govshare/bin, for each of the four builder
// steps:
//
//	detect SOURCE METADATA        accept packages of type "govshare-binary"
//	build SOURCE METADATA OUTPUT  copy the prebuilt chaincode program
//	release BUILD RELEASE         nothing to release: the peer launches it
//	run BUILD RUNMETADATA         start the chaincode, connected to the peer
//
// The package holds one prebuilt chaincode program, so installing takes about
// a second and no compiler or container is needed on the peer's host. In the
// run step the chaincode dials the peer with the TLS client certificate the
// peer issued for it, and it ends when the peer does.
package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
)

// packageType must match network.BuilderType.
const packageType = "govshare-binary"

// program is the name of the chaincode program inside a package.
const program = "chaincode"

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: govshare-ccbuilder detect|build|release|run ARGS...")
		os.Exit(2)
	}
	step, args := os.Args[1], os.Args[2:]
	var err error
	switch {
	case step == "detect" && len(args) == 2:
		err = detect(args[1])
	case step == "build" && len(args) == 3:
		err = build(args[0], args[2])
	case step == "release" && len(args) == 2:
		err = nil
	case step == "run" && len(args) == 2:
		err = run(args[0], args[1])
	default:
		err = fmt.Errorf("unknown step %q with %d arguments", step, len(args))
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "govshare-ccbuilder %s: %v\n", step, err)
		os.Exit(1)
	}
}

// detect accepts a package whose metadata names govshare's package type.
func detect(metadataDir string) error {
	data, err := os.ReadFile(filepath.Join(metadataDir, "metadata.json"))
	if err != nil {
		return fmt.Errorf("read package metadata: %w", err)
	}
	var metadata struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(data, &metadata); err != nil {
		return fmt.Errorf("read package metadata: %w", err)
	}
	if metadata.Type != packageType {
		return fmt.Errorf("package type %q is not %q", metadata.Type, packageType)
	}
	return nil
}

// build copies the prebuilt program into the build output.
func build(sourceDir, outputDir string) error {
	src, err := os.Open(filepath.Join(sourceDir, program))
	if err != nil {
		return fmt.Errorf("the package has no %s program: %w", program, err)
	}
	defer src.Close()
	dst, err := os.OpenFile(filepath.Join(outputDir, program), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return fmt.Errorf("create built program: %w", err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return fmt.Errorf("copy program: %w", err)
	}
	return dst.Close()
}

// runMetadata is the chaincode.json the peer writes for the run step.
type runMetadata struct {
	ChaincodeID string `json:"chaincode_id"`
	PeerAddress string `json:"peer_address"`
	ClientCert  string `json:"client_cert"`
	ClientKey   string `json:"client_key"`
	RootCert    string `json:"root_cert"`
	MSPID       string `json:"mspid"`
}

// run replaces itself with the chaincode program, connected to the peer.
func run(buildDir, runMetadataDir string) error {
	path, args, env, err := chaincodeCommand(buildDir, runMetadataDir)
	if err != nil {
		return err
	}
	// End with the peer: a chaincode whose peer is gone has nothing to
	// serve. The death signal belongs to the calling thread, so the thread
	// that asks for it must be the one that execs; and a peer that died
	// before the request leaves us with another parent.
	runtime.LockOSThread()
	peer := os.Getppid()
	const prSetPdeathsig = 1
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetPdeathsig, uintptr(syscall.SIGTERM), 0); errno != 0 {
		return fmt.Errorf("ask to end with the peer: %w", errno)
	}
	if os.Getppid() != peer {
		return errors.New("the peer ended before the chaincode started")
	}
	if err := syscall.Exec(path, args, env); err != nil {
		return fmt.Errorf("start %s: %w", path, err)
	}
	return nil
}

// chaincodeCommand reads the peer's run metadata, writes the chaincode's
// TLS files beside it, and returns the program, its arguments and its
// environment.
func chaincodeCommand(buildDir, runMetadataDir string) (path string, args, env []string, err error) {
	data, err := os.ReadFile(filepath.Join(runMetadataDir, "chaincode.json"))
	if err != nil {
		return "", nil, nil, fmt.Errorf("read run metadata: %w", err)
	}
	var meta runMetadata
	if err := json.Unmarshal(data, &meta); err != nil {
		return "", nil, nil, fmt.Errorf("read run metadata: %w", err)
	}
	if meta.ChaincodeID == "" || meta.PeerAddress == "" {
		return "", nil, nil, errors.New("run metadata names no chaincode ID or peer address")
	}
	env = append(os.Environ(),
		"CORE_CHAINCODE_ID_NAME="+meta.ChaincodeID,
		"CORE_PEER_LOCALMSPID="+meta.MSPID,
		"CORE_PEER_TLS_ENABLED="+fmt.Sprint(meta.RootCert != ""),
	)
	if meta.RootCert != "" {
		// The Go shim reads the client key and certificate base64-encoded
		// and the peer's root certificate as PEM.
		files := []struct{ name, content, variable string }{
			{"client.key", base64.StdEncoding.EncodeToString([]byte(meta.ClientKey)), "CORE_TLS_CLIENT_KEY_PATH"},
			{"client.crt", base64.StdEncoding.EncodeToString([]byte(meta.ClientCert)), "CORE_TLS_CLIENT_CERT_PATH"},
			{"root.crt", meta.RootCert, "CORE_PEER_TLS_ROOTCERT_FILE"},
		}
		for _, f := range files {
			file := filepath.Join(runMetadataDir, f.name)
			if err := os.WriteFile(file, []byte(f.content), 0o600); err != nil {
				return "", nil, nil, fmt.Errorf("write %s: %w", f.name, err)
			}
			env = append(env, f.variable+"="+file)
		}
	}
	path = filepath.Join(buildDir, program)
	return path, []string{path, "-peer.address=" + meta.PeerAddress}, env, nil
}
