"""Official EN 16931 and Peppol BIS Billing 3.0 rules, shipped in ``data/``, and the checks that run them."""
