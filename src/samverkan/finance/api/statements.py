"""API of finance: statements."""

urlpatterns: list = []
