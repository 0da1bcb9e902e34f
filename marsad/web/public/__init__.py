"""The public pages of the web app."""
