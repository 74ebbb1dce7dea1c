"""Benchmarks: `python -m bench.latency|decoding|concurrency|report` (see bench/RESULTS.md)."""
