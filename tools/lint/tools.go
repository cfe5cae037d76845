//go:build tools

// Package lint pins the linters `make lint` builds, in a module of their
// own so that their dependencies stay out of the project's go.mod.
package lint

import _ "honnef.co/go/tools/cmd/staticcheck"
