"""Timing Silta's reads against hand-written SQL on the data set, and the results."""
