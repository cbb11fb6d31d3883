"""Benchmarks (not timed tests): each module has a `main()` printing its figures."""
