"""Import formats, one folder each."""
