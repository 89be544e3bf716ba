"""Invoice Lystkom's 2025 quarter by quarter, in arrears: Q1–Q4 issued, numbered and exportable.

Seed 002: "kvartals- eller tertialfakturering beroende på verksamhet". The IT activity (81141)
is invoiced per tertial: the quarterly runs bill it when a tertial has ended (Q2: January–April,
Q3: May–August, Q4: September–December); everything else per quarter, the runs' own period.

Quarterly runs also bill the approved allocation runs for 2025 (membership fee, telephony
cost share) from the allocation demo, outside the scope of VAT and on their own invoices.
Åsele wants one invoice per department reference, to show that option.
"""

from __future__ import annotations

from samverkan.billing import services, usecases
from samverkan.core.actors import system_actor
from samverkan.members.models import Federation


def build(stdout) -> None:
    lystkom, system = Federation.objects.get(slug="lystkom"), system_actor()
    services.billing_profile_update(
        acting_user=system,
        federation=lystkom,
        data={
            "activity_names": {"81141": "IT", "81143": "Kundtjänst", "81145": "Revision", "81146": "Lystkom gemensamt"},
            "allocation_activity": "81146",
        },
    )
    services.frequency_rule_set(acting_user=system, federation=lystkom, activity="81141", frequency="T")
    services.member_billing_setting_update(
        acting_user=system, member=lystkom.members.get(kommunkod="2463"), per_reference=True
    )
    for member in lystkom.members.exclude(kommunkod="2463"):
        services.member_billing_setting_update(
            acting_user=system, member=member, per_reference=False, buyer_reference=f"{member.kommunkod}-EKONOMI"
        )
    for quarter in ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"):
        run = services.invoice_run_execute(acting_user=system, federation=lystkom, period=quarter, approve=True)
        rec = usecases.run_reconciliation(run)
        if not rec.balanced:
            raise RuntimeError(f"{quarter} does not reconcile: {rec}")
        stdout.write(f"billing: {quarter} {run.invoices.count()} fakturor, {rec.invoices_total} kr")
