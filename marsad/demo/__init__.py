"""Bundled demo data and the synthetic post generator."""
