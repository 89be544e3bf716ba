"""Every write in the portal, one module per subject; callers import the submodule they need.

Each service is one transaction, validated and audited; mail goes out on commit. Callers fetch
tickets through ``selectors.ticket_get`` (scoped), so a service only checks what the user may
do with a ticket they can already see.
"""
