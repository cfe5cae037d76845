package main

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAllPagesFollowsBookmarksToTheLastPage(t *testing.T) {
	pages := map[string]struct {
		items []int
		next  string
	}{"": {[]int{1, 2}, "b1"}, "b1": {[]int{3}, "b2"}, "b2": {[]int{4}, ""}}
	var asked []string
	all, err := allPages(func(bookmark string) ([]int, string, error) {
		asked = append(asked, bookmark)
		p := pages[bookmark]
		return p.items, p.next, nil
	})
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2, 3, 4}, all)
	assert.Equal(t, []string{"", "b1", "b2"}, asked)
}

func TestPagesOfKeepsTheFirstPageAndEveryItem(t *testing.T) {
	type page struct {
		total int
		items []string
		next  string
	}
	pages := map[string]*page{"": {7, []string{"a"}, "b1"}, "b1": {7, []string{"b", "c"}, ""}}
	first, items, err := pagesOf(func(bookmark string) (*page, error) { return pages[bookmark], nil },
		func(p *page) ([]string, string) { return p.items, p.next })
	require.NoError(t, err)
	assert.Same(t, pages[""], first)
	assert.Equal(t, 7, first.total, "the first page's header stands for the whole listing")
	assert.Equal(t, []string{"a", "b", "c"}, items)

	refused := errors.New("refused")
	first, _, err = pagesOf(func(string) (*page, error) { return nil, refused }, func(p *page) ([]string, string) { return p.items, p.next })
	assert.ErrorIs(t, err, refused)
	assert.Nil(t, first)
}

func TestAllPagesStopsOnAnErrorOrARepeatedBookmark(t *testing.T) {
	calls := 0
	_, err := allPages(func(string) ([]int, string, error) {
		calls++
		return []int{calls}, "same", nil
	})
	assert.ErrorContains(t, err, "same page twice")
	assert.Equal(t, 2, calls, "the second identical bookmark ends the listing")

	refused := errors.New("refused")
	_, err = allPages(func(string) ([]int, string, error) { return nil, "", refused })
	assert.ErrorIs(t, err, refused)

	empty, err := allPages(func(string) ([]int, string, error) { return nil, "", nil })
	require.NoError(t, err)
	assert.NotNil(t, empty, "an empty listing is [] in JSON, not null")
}
