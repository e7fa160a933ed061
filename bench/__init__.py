"""Benchmarks that print figures (never assert): `make bench` = `python -m bench`."""
