"""Reads of finance, one module per subject; every read is scoped to the user's federation."""
