"""Pages of finance: budgets."""

urlpatterns: list = []
