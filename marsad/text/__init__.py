"""Text processing: normalisation, entities, language and script detection."""
