"""Building the benchmark data set: the world, the generated history, incremental steps."""
