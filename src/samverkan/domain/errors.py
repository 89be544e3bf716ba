"""The base of every error the domain core raises for input it cannot compute.

Entry points catch `DomainError` once (the API's exception handler, the CLI, the form helper)
and show its message; a plain ValueError from the core stays a bug and surfaces as one.
"""


class DomainError(ValueError):
    """Input the core refuses, with a message a user can act on."""
