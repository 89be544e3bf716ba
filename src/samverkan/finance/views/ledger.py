"""Pages of finance: ledger."""

urlpatterns: list = []
