"""Checks and the report: typed problems, cross-value checks, the annotated copy of a file."""
