package main

import "context"

func runTune(ctx context.Context, args []string) error    { return nil }
func runCaliper(ctx context.Context, args []string) error { return nil }
