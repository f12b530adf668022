"""The package's version, in the foundation layer: what outputs record (batch settings, eval
signatures) without importing the API package above them."""

__version__ = "0.1.0"
