"""Pages of finance: statements."""

urlpatterns: list = []
