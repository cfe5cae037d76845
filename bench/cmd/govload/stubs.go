package main

import "context"

func runScale(ctx context.Context, args []string) error   { return nil }
func runTune(ctx context.Context, args []string) error    { return nil }
func runCaliper(ctx context.Context, args []string) error { return nil }
