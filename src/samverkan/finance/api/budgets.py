"""API of finance: budgets."""

urlpatterns: list = []
