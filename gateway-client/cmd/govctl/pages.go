package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// Listings the ledger answers a page at a time: commands that show a whole
// listing follow its bookmarks with allPages (or pagesOf, for a paginated
// trace); commands that show one page take --page-size and --bookmark.

// allPages calls fetch with each bookmark in turn, starting from the first
// page, until a page comes without a bookmark, and returns every item. A
// bookmark that comes back unchanged would repeat the same page for ever,
// so it is an error.
func allPages[T any](fetch func(bookmark string) (items []T, next string, err error)) ([]T, error) {
	all := []T{}
	bookmark := ""
	for {
		items, next, err := fetch(bookmark)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if next == "" {
			return all, nil
		}
		if next == bookmark {
			return nil, fmt.Errorf("the ledger answered the same page twice (bookmark %q)", next)
		}
		bookmark = next
	}
}

// pagesOf reads every page of a paginated trace with read, and returns the
// first page, whose header and totals stand for the whole, with the items
// of every page, which items picks out of each page with its bookmark.
func pagesOf[P, T any](read func(bookmark string) (*P, error), items func(*P) ([]T, string)) (*P, []T, error) {
	var first *P
	all, err := allPages(func(bookmark string) ([]T, string, error) {
		page, err := read(bookmark)
		if err != nil {
			return nil, "", err
		}
		if first == nil {
			first = page
		}
		its, next := items(page)
		return its, next, nil
	})
	if err != nil {
		return nil, nil, err
	}
	return first, all, nil
}

// maxPageSize is how many records each query of a whole listing fetches:
// the contracts' maximum.
const maxPageSize = 100

// defaultPageSize is how many records a command that prints one page of a
// listing fetches unless --page-size says otherwise.
const defaultPageSize = 20

// pageFlags adds --page-size and --bookmark to a command that prints one
// page of a listing of items.
func pageFlags(cmd *cobra.Command, items string, pageSize *int32, bookmark *string) {
	cmd.Flags().Int32Var(pageSize, "page-size", defaultPageSize, items+" per page (at most 100)")
	cmd.Flags().StringVar(bookmark, "bookmark", "", "continue after the page that printed this bookmark")
}
