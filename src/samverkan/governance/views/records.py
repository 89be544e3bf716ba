"""Pages of records management (admin only): the document management plan, disposal with a
dry run, and personal data (register extract as a page or JSON, erasure/pseudonymisation)."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.forms import add_service_errors
from samverkan.core.permissions import capability_required
from samverkan.governance.forms_agreements import DisposeForm, EraseForm, PersonQueryForm, RuleForm
from samverkan.governance.policies import MANAGE_RECORDS
from samverkan.governance.selectors import records as selectors
from samverkan.governance.services import records as services


@capability_required(MANAGE_RECORDS)
def records_plan(request):
    rules = services.retention_plan(acting_user=request.user, federation=request.user.federation)
    return render(
        request,
        "governance/records_plan.html",
        {
            "title": _("Dokumenthanteringsplan"),
            "rules": rules,
            "logs": selectors.disposal_logs_for(request.user)[:50],
            "form": DisposeForm(),
        },
    )


@capability_required(MANAGE_RECORDS)
def rule_edit(request, pk: int):
    rule = selectors.rule_get(request.user, pk)
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        rule.refresh_from_db()
        try:
            services.rule_update(acting_user=request.user, rule=rule, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("governance:records_plan")
    title = _("Gallringsregel: %(type)s") % {"type": rule.get_record_type_display()}
    return render(
        request, "core/form.html", {"form": form, "title": title, "cancel_url": reverse("governance:records_plan")}
    )


@capability_required(MANAGE_RECORDS)
def records_dispose(request):
    form = DisposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.records_dispose(
            acting_user=request.user,
            federation=request.user.federation,
            today=timezone.localdate(),
            dry_run=form.cleaned_data["dry_run"],
        )
        title = _("Provkörning av gallring") if result.dry_run else _("Gallring utförd")
        return render(request, "governance/records_dispose.html", {"title": title, "result": result})
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Gallra"),
            "submit_label": _("Gallra"),
            "cancel_url": reverse("governance:records_plan"),
        },
    )


@capability_required(MANAGE_RECORDS)
def personal_data(request):
    form = PersonQueryForm(request.GET if "query" in request.GET else None)
    report = None
    if form.is_bound and form.is_valid():
        try:
            report = services.personal_data_report(
                acting_user=request.user, federation=request.user.federation, query=form.cleaned_data["query"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.GET.get("format") == "json":
                body = json.dumps(report.as_dict(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
                response = HttpResponse(body, content_type="application/json; charset=utf-8")
                response["Content-Disposition"] = 'attachment; filename="registerutdrag.json"'
                return response
    return render(
        request,
        "governance/personal_data.html",
        {"title": _("Personuppgifter"), "form": form, "report": report},
    )


@capability_required(MANAGE_RECORDS)
def personal_data_erase(request):
    form = EraseForm(request.POST or None, initial={"query": request.GET.get("query", "")})
    if request.method == "POST" and form.is_valid():
        try:
            result = services.personal_data_erase(
                acting_user=request.user,
                federation=request.user.federation,
                person=form.cleaned_data["query"],
                mode=form.cleaned_data["mode"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return render(
                request,
                "governance/personal_data_erased.html",
                {"title": _("Personuppgifter ändrade"), "result": result},
            )
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Radera eller pseudonymisera personuppgifter"),
            "intro": _(
                "Personen tas bort ur ärenden, kommentarer och kontaktpersoner. Protokoll, diariet och fakturor "
                "ändras inte."
            ),
            "submit_label": _("Utför"),
            "cancel_url": reverse("governance:personal_data"),
        },
    )


urlpatterns = [
    path("dokumenthantering/", records_plan, name="records_plan"),
    path("dokumenthantering/regel/<int:pk>/", rule_edit, name="records_rule_edit"),
    path("dokumenthantering/gallra/", records_dispose, name="records_dispose"),
    path("personuppgifter/", personal_data, name="personal_data"),
    path("personuppgifter/radera/", personal_data_erase, name="personal_data_erase"),
]
