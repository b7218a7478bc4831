"""Answers computed from the graph: gaps now; strength, coverage, paths and the rest later."""
