"""Normalising: raw cells -> numbers, periods, units and catalog codes, cell by cell."""
