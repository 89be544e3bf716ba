"""API of finance: ledger."""

urlpatterns: list = []
