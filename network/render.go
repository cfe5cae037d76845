package network

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"text/template"

	"gopkg.in/yaml.v3"

	networkconfig "github.com/govshare/govshare/test-network-config"
)

// render executes one of test-network-config's templates with data.
func render(name string, data any) ([]byte, error) {
	text, err := networkconfig.Files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read template %s: %w", name, err)
	}
	tmpl, err := template.New(filepath.Base(name)).Option("missingkey=error").Parse(string(text))
	if err != nil {
		return nil, fmt.Errorf("parse template %s: %w", name, err)
	}
	var out bytes.Buffer
	if err := tmpl.Execute(&out, data); err != nil {
		return nil, fmt.Errorf("render template %s: %w", name, err)
	}
	return out.Bytes(), nil
}

// renderFile renders a template into a file.
func renderFile(name, path string, perm os.FileMode, data any) error {
	out, err := render(name, data)
	if err != nil {
		return err
	}
	return writeFile(path, out, perm)
}

// renderOverrides renders an overrides template and merges it into the
// sample configuration file of the pinned Fabric release, writing the result
// to path. Maps merge key by key; any other value in the overrides replaces
// the sample's.
func (a *Agency) renderOverrides(template, sample, path string, data any) error {
	base, err := os.ReadFile(filepath.Join(a.opts.FabricDir, "config", sample))
	if err != nil {
		return fmt.Errorf("read Fabric's sample %s (run `make fabric-bins`): %w", sample, err)
	}
	overrides, err := render(template, data)
	if err != nil {
		return err
	}
	merged, err := mergeYAML(base, overrides)
	if err != nil {
		return fmt.Errorf("apply %s to %s: %w", template, sample, err)
	}
	return writeFile(path, merged, 0o644)
}

func mergeYAML(base, overrides []byte) ([]byte, error) {
	var b, o map[string]any
	if err := yaml.Unmarshal(base, &b); err != nil {
		return nil, fmt.Errorf("parse base: %w", err)
	}
	if err := yaml.Unmarshal(overrides, &o); err != nil {
		return nil, fmt.Errorf("parse overrides: %w", err)
	}
	out, err := yaml.Marshal(mergeMaps(b, o))
	if err != nil {
		return nil, fmt.Errorf("encode merged configuration: %w", err)
	}
	return out, nil
}

func mergeMaps(base, overrides map[string]any) map[string]any {
	if base == nil {
		base = map[string]any{}
	}
	for k, v := range overrides {
		bm, baseIsMap := base[k].(map[string]any)
		om, overrideIsMap := v.(map[string]any)
		if baseIsMap && overrideIsMap {
			base[k] = mergeMaps(bm, om)
			continue
		}
		base[k] = v
	}
	return base
}
