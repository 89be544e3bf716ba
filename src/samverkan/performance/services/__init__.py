"""services of performance, one module per subject (performance/urls.py joins the route lists of views and api)."""
