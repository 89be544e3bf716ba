"""Pages of finance: followup."""

urlpatterns: list = []
