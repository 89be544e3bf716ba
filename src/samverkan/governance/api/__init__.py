"""api of governance, one module per subject (governance/urls.py joins the route lists of views and api)."""
