import io

import pytest

from samverkan.core.actors import system_actor
from samverkan.telephony import callstore, services
from samverkan.telephony.models import CallArchive, Queue

# Three calls in 2023 and two in 2022 on Lycksele's switchboard, one on Storuman's
LOG_2023 = """\
1688198400|a1|vaxel-lyc|NONE|ENTERQUEUE||0950123|1
1688198410|a1|vaxel-lyc|SIP/1|CONNECT|10|x|3
1688198500|a1|vaxel-lyc|SIP/1|COMPLETECALLER|10|90|1
1688202000|a2|vaxel-lyc|SIP/1|CONNECT|40|x|3
1688202100|a2|vaxel-lyc|SIP/1|COMPLETEAGENT|40|100|1
1688205600|a3|vaxel-lyc|NONE|ABANDON|1|1|50
1688205600|b1|vaxel-sto|SIP/2|CONNECT|5|x|1
1688205700|b1|vaxel-sto|SIP/2|COMPLETEAGENT|5|100|1
"""
LOG_2022 = """\
1656662400|c1|vaxel-lyc|SIP/1|CONNECT|5|x|3
1656662500|c1|vaxel-lyc|SIP/1|COMPLETEAGENT|5|100|1
1656666000|c2|vaxel-lyc|SIP/1|CONNECT|50|x|3
1656666100|c2|vaxel-lyc|SIP/1|COMPLETEAGENT|50|100|1
"""


def stored_calls() -> dict[str, tuple]:
    """callid → (outcome, wait, talk, agent) of every archived call."""
    return {c[2]: tuple(c[4:]) for c in callstore.archived_calls(CallArchive.objects.all())}


def do_import(world, text, name="queue_log", **kw):
    return services.call_records_import(
        acting_user=world.users["admin"],
        federation=world.federation,
        file=io.BytesIO(text.encode()),
        file_name=name,
        **kw,
    )


@pytest.fixture
def calls(world):
    """Queues mapped to members (T = 30 s, answered-only convention) with calls in 2022 and 2023."""
    for name, member in (("vaxel-lyc", world.member), ("vaxel-sto", world.other_member)):
        Queue.objects.create(
            federation=world.federation,
            name=name,
            label=f"Växel {member.name}",
            member=member,
            service=world.service,
            within_seconds=30,
            convention="answered",
        )
    do_import(world, LOG_2023, "2023.log")
    do_import(world, LOG_2022, "2022.log")
    # a queue of another federation that nobody here may see
    Queue.objects.create(federation=world.other_federation, name="vaxel-lud", member=world.foreign_member)
    services.call_records_import(
        acting_user=system_actor(),
        federation=world.other_federation,
        file=io.BytesIO(b"1688205600|z1|vaxel-lud|SIP/9|CONNECT|1|x|1\n"),
        file_name="lud.log",
    )
    return world
