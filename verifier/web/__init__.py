"""The local review server."""
