"""Code shared by the tests and the benchmarks; nothing here needs pytest."""
