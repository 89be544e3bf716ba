"""API of finance: followup."""

urlpatterns: list = []
