"""Importers: sources, formats and the ingest pipeline."""
