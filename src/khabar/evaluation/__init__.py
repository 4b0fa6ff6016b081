"""Benchmark evaluation: `khabar evaluate` and the baselines."""
