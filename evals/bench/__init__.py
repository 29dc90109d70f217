"""Benchmarks: `python -m evals.bench` (make bench) and the load test `python -m evals.bench.load`."""
