"""views of finance, one module per subject (finance/urls.py joins the route lists of views and api)."""
