"""Every request is bounded: JSON depth and size, upload size, gunicorn's time limit, number fields."""

import json
from decimal import Decimal

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from rest_framework import serializers

from samverkan.core.api_errors import MAX_JSON_DEPTH
from samverkan.core.fields import NumberFormField, RatioFormField, UploadField
from samverkan.core.params import NumberField, RatioField


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [5_000, 100_000, MAX_JSON_DEPTH + 1])
def test_deep_json_is_a_400_not_a_recursion_error(world, depth):
    response = world.api("economist").post(
        reverse("allocation-api:calculate"), nested(depth), content_type="application/json"
    )
    assert response.status_code == 400
    assert "nästlat för djupt" in response.json()["detail"]


def test_json_within_the_depth_limit_is_read(world):
    payload = {"total": "10", "key": "equal", "rows": [{"member": "A"}], "x": json.loads(nested(MAX_JSON_DEPTH - 2))}
    response = world.api("economist").post(reverse("allocation-api:calculate"), payload, format="json")
    assert response.status_code == 200


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_json_body_over_the_upload_limit_is_a_413(world):
    payload = {"total": "10", "key": "equal", "rows": [{"member": f"M{i}"} for i in range(200)]}
    response = world.api("economist").post(reverse("allocation-api:calculate"), payload, format="json")
    assert response.status_code == 413


@pytest.mark.parametrize("body", ['{"total": NaN}', '{"total": Infinity}', '{"total": 1e999999999}', "\x00", "{"])
def test_json_constants_and_broken_json_are_a_400(world, body):
    response = world.api("economist").post(reverse("allocation-api:calculate"), body, content_type="application/json")
    assert response.status_code == 400


def test_serve_gives_gunicorn_a_request_timeout(monkeypatch):
    from django.core.management import call_command

    from samverkan.core.management.commands import serve

    calls = []

    class Process:  # stands in for subprocess.Popen: gunicorn and the background worker
        def __init__(self, argv, **kwargs):
            calls.append(argv)

        def wait(self, timeout=None):
            return 0

        def poll(self):
            return 0

    monkeypatch.setattr(serve.subprocess, "Popen", Process)
    monkeypatch.setattr(serve, "call_command", lambda *args, **kwargs: None)
    call_command("serve", "--workers", "2")
    [argv] = [argv for argv in calls if "gunicorn" in argv]
    assert argv[argv.index("--timeout") + 1] == str(serve.REQUEST_TIMEOUT_SECONDS)


class Numbers(serializers.Serializer):
    amount = NumberField(max_digits=15, decimal_places=2, min_value=0)
    share = RatioField(min_value=Decimal("0.01"), max_value=Decimal("0.999"))


@pytest.mark.parametrize(
    ("data", "valid"),
    [
        ({"amount": "1 234,50", "share": "80 %"}, True),
        ({"amount": 1234.5, "share": 0.8}, True),
        ({"amount": "1e999999999", "share": "0.8"}, False),
        ({"amount": "1e-999999999", "share": "0.8"}, False),
        ({"amount": "9" * 30, "share": "0.8"}, False),
        ({"amount": "NaN", "share": "0.8"}, False),
        ({"amount": float("inf"), "share": "0.8"}, False),
        ({"amount": "1", "share": "80"}, False),
        ({"amount": "1", "share": "1.5"}, False),
        ({"amount": "1", "share": "100 %"}, False),
        ({"amount": "-0", "share": "0.5"}, True),
        ({"amount": {"deep": []}, "share": "0.5"}, False),
    ],
)
def test_api_number_fields_use_the_one_parser(data, valid):
    serializer = Numbers(data=data)
    assert serializer.is_valid() is valid, serializer.errors


class NumberForm(forms.Form):
    amount = NumberFormField(max_digits=15, decimal_places=2, min_value=0)
    share = RatioFormField(min_value=Decimal("0.01"), max_value=Decimal("0.999"), required=False)
    file = UploadField(max_bytes=10, required=False)


def test_form_number_fields_use_the_one_parser_and_say_what_is_wrong():
    form = NumberForm({"amount": "1 234,50", "share": "0,8"})
    assert form.is_valid() and form.cleaned_data["amount"] == Decimal("1234.50")
    assert form.cleaned_data["share"] == Decimal("0.8")
    form = NumberForm({"amount": "1e999999999", "share": "80"})
    assert not form.is_valid()
    assert form.errors["amount"] == ["får inte skrivas med exponent (e)"]
    assert "mellan 0 och 1" in form.errors["share"][0]
    assert 'value="80\u00a0%"' in str(NumberForm(initial={"share": Decimal("0.8")})["share"])


def test_upload_field_states_and_checks_its_limit():
    form = NumberForm({"amount": "1"}, {"file": SimpleUploadedFile("a.csv", b"x" * 11)})
    assert not form.is_valid() and "för stor" in form.errors["file"][0]
    assert "Högst 10\u00a0byte" in str(form["file"].help_text)
    assert NumberForm({"amount": "1"}, {"file": SimpleUploadedFile("a.csv", b"x" * 10)}).is_valid()
