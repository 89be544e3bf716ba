"""API of finance: settlement."""

urlpatterns: list = []
