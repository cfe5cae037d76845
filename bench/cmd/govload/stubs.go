package main

import "context"

func runCaliper(ctx context.Context, args []string) error { return nil }
