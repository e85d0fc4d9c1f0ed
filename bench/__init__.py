"""Silta's national-scale benchmark: ``make bench`` (entry point ``bench/run.py``).

Generates a PostgreSQL data set the size of Finland's shared Kela/social services
clientele with COPY, then times the real inbox and timeline code against hand-written SQL.
"""
