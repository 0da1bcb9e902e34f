"""Evidence: files and captured pages attached to a case, hashed, encrypted, with custody."""
