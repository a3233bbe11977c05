"""Benchmarks for IKC-wijzer: ingest, answer latency, cold start, memory, scale and quality.

Run with `python -m bench.run` (`make bench`) or `python -m bench.run --quick` (`make bench-quick`).
Heavy measurements run in worker subprocesses (`bench.workers`) so each one's peak RSS and
start-up cost are its own.
"""
