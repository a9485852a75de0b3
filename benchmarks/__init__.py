"""Benchmarks anyone can rerun: `python -m benchmarks.<name> --help`. Results go to benchmarks/RESULTS.md."""
