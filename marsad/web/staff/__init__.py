"""The staff pages of the web app."""
