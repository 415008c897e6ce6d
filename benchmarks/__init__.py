"""Benchmarks that print numbers; run against a database built with `python -m db.seed`."""
