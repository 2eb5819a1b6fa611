"""Benchmarks. They measure and print; they never assert (the machines are shared and noisy)."""
