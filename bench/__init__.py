"""Benchmarks: run them, read the ratios; they are not tests."""
