"""Pages of finance: settlement."""

urlpatterns: list = []
