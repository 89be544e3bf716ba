"""A queue name has one rule (validators.queue_name_problem): the readers refuse a longer name at its
line, the model's validator and the database's check constraint refuse it too, so no name is ever
cut (a cut name made every later file of that queue fail)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from samverkan.telephony import services
from samverkan.telephony.models import Queue
from samverkan.telephony.validators import QUEUE_NAME_MAX

from .inputs import nothing_written


def _import(world, text, name):
    return services.call_records_import(
        acting_user=world.users["admin"], federation=world.federation, file=io.BytesIO(text.encode()), file_name=name
    )


def test_the_longest_name_imports_again_and_again(world):
    name = "q" * QUEUE_NAME_MAX
    first, _ = _import(world, f"1688198400|a1|{name}|NONE|ABANDON|1|1|5\n", "1.log")
    second, _ = _import(world, f"1688198500|a2|{name}|NONE|ABANDON|1|1|5\n", "2.log")
    assert (first.records_created, second.records_created) == (1, 1)
    assert list(Queue.objects.values_list("name", flat=True)) == [name]


def test_a_longer_name_is_refused_everywhere(world):
    name = "q" * (QUEUE_NAME_MAX + 1)
    with pytest.raises(ValidationError, match="Rad 1: kö \\(fält 3\\): högst 100 tecken \\(här 101\\)"):
        _import(world, f"1688198400|a1|{name}|NONE|ABANDON|1|1|5\n", "1.log")
    nothing_written()
    with pytest.raises(ValidationError) as info:
        Queue(federation=world.federation, name=name).full_clean()
    assert "name" in info.value.message_dict
    with pytest.raises(ValidationError):
        Queue(federation=world.federation, name="växel\x00").full_clean()
    for bad in (name, ""):  # the last line: the database itself (SQLite does not enforce max_length)
        with pytest.raises(DatabaseError), transaction.atomic():
            Queue.objects.create(federation=world.federation, name=bad)
