"""Classifiers of incitement, hate and offensive language (Arabic, Hebrew, English)."""
