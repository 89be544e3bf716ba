"""Pages of the service portal (requesters) and the desk (agents), one module per subject."""
