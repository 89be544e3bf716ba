"""Pages: pools, keys, runs, comparisons, exports, decision basis and a quick calculator."""

from __future__ import annotations

import json
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.allocation import selectors, services, usecases
from samverkan.allocation.calculation import compute
from samverkan.allocation.exporters.tables import basis_text, comparison_table, run_table, to_csv, to_xlsx
from samverkan.allocation.forms import (
    BusinessCaseForm,
    BusinessCaseOptionForm,
    BusinessCaseStudyForm,
    CalculatorForm,
    CompareForm,
    DecisionBasisForm,
    KeyComponentForm,
    KeyForm,
    KeyValuesForm,
    PoolForm,
    RunForm,
)
from samverkan.allocation.importers.key_csv import KeyFileError, read_key_table
from samverkan.allocation.models import VALUE_KINDS, KeyKind
from samverkan.allocation.policies import (
    APPROVE_RUN,
    CREATE_RUN,
    MANAGE_BUSINESS_CASES,
    MANAGE_POOLS,
    USE_CALCULATORS,
    VIEW_ALLOCATIONS,
    VIEW_MEMBER_COSTS,
)
from samverkan.core.forms import add_service_errors, form_page
from samverkan.core.params import id_or_none
from samverkan.core.permissions import capability_required, has_capability, require
from samverkan.domain.errors import DomainError
from samverkan.domain.textfiles import open_text

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@capability_required(VIEW_ALLOCATIONS)
def pool_list(request):
    return render(
        request,
        "allocation/pool_list.html",
        {
            "pools": selectors.pools_for(request.user),
            "title": _("Kostnadsfördelning"),
            "may_manage": has_capability(request.user, MANAGE_POOLS),
        },
    )


@capability_required(MANAGE_POOLS)
def pool_create(request):
    federation = request.user.federation
    return form_page(
        request,
        PoolForm(request.POST or None, user=request.user),
        _("Ny kostnadspool"),
        lambda data: services.pool_create(acting_user=request.user, federation=federation, **data),
        _("Poolen har skapats."),
        subnav="allocation/_subnav.html",
    )


@capability_required(MANAGE_POOLS)
def pool_edit(request, pk):
    pool = selectors.pool_get(request.user, pk)
    return form_page(
        request,
        PoolForm(request.POST or None, instance=pool, user=request.user),
        _("Ändra %(name)s") % {"name": pool},
        # A fresh copy: the bound ModelForm has already written the new values into `pool`.
        lambda data: services.pool_update(
            acting_user=request.user, pool=selectors.pool_get(request.user, pk), data=data
        ),
        _("Ändringarna har sparats."),
        subnav="allocation/_subnav.html",
    )


@capability_required(VIEW_MEMBER_COSTS)
def member_costs(request):
    """What each member pays by approved runs; a member contact sees only its own member."""
    lines = selectors.approved_lines_for(request.user)
    chosen = id_or_none(request.GET.get("medlem"))
    if chosen:
        lines = lines.filter(member_id=chosen)
    groups: dict = {}
    for line in lines:
        group = groups.setdefault(line.member, {"lines": [], "total": Decimal(0)})
        group["lines"].append(line)
        group["total"] += line.amount
    members = sorted({line.member for line in selectors.approved_lines_for(request.user)}, key=lambda m: m.name)
    return render(
        request,
        "allocation/member_costs.html",
        {
            "groups": groups,
            "members": members,
            "chosen": chosen,
            "title": _("Kostnader per medlem"),
            "show_subnav": has_capability(request.user, VIEW_ALLOCATIONS),
        },
    )


@capability_required(VIEW_ALLOCATIONS)
def pool_detail(request, pk):
    pool = selectors.pool_get(request.user, pk)
    form = RunForm(request.POST or None, user=request.user, pool=pool, initial={"label": pool.name})
    if request.method == "POST":
        require(request.user, CREATE_RUN, obj=pool)
        if form.is_valid():
            try:
                run = services.run_create(acting_user=request.user, pool=pool, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Fördelningen är beräknad och sparad som utkast."))
                return redirect("allocation:run-detail", pk=run.pk)
    runs = selectors.runs_for(request.user).filter(pool=pool)
    return render(
        request,
        "allocation/pool_detail.html",
        {
            "pool": pool,
            "runs": runs,
            "form": form,
            "preview": _preview(pool),
            "title": pool.name,
            "may_manage": has_capability(request.user, MANAGE_POOLS),
            "may_run": has_capability(request.user, CREATE_RUN),
        },
    )


def _preview(pool) -> dict:
    """What a run would give now, before anything is stored, with the comparison key beside it
    (e.g. the population key next to an adopted fee table); errors are shown, not raised."""
    try:
        result = compute(pool, pool.key, pool.period_start)
    except ValidationError as exc:
        return {"error": " ".join(exc.messages)}
    comparison = None
    if pool.comparison_key_id and pool.comparison_key_id != pool.key_id:
        try:
            comparison = compute(pool, pool.comparison_key, pool.period_start, participants=result.participants)
        except ValidationError:
            comparison = None
    rows = []
    for p in result.participants:
        other = comparison.amounts[p.id] if comparison else None
        basis = {**result.basis[p.id], **(comparison.basis[p.id] if comparison else {})}
        amount = result.amounts[p.id]
        rows.append((p.name, basis_text(basis), amount, other, None if other is None else amount - other))
    return {
        "rows": rows,
        "total": sum(result.amounts.values()),
        "key": result.key_description,
        "comparison": comparison.key_description if comparison else "",
    }


@capability_required(VIEW_ALLOCATIONS)
def key_list(request):
    return render(
        request,
        "allocation/key_list.html",
        {
            "keys": selectors.keys_for(request.user),
            "title": _("Fördelningsnycklar"),
            "may_manage": has_capability(request.user, MANAGE_POOLS),
        },
    )


@capability_required(VIEW_ALLOCATIONS)
def key_detail(request, pk):
    key = selectors.key_get(request.user, pk)
    return render(
        request,
        "allocation/key_detail.html",
        {
            "key": key,
            "title": key.name,
            "has_values": key.kind in VALUE_KINDS,
            "is_mix": key.kind == KeyKind.MIX,
            "may_manage": has_capability(request.user, MANAGE_POOLS),
        },
    )


@capability_required(MANAGE_POOLS)
def key_create(request):
    federation = request.user.federation
    return form_page(
        request,
        KeyForm(request.POST or None),
        _("Ny fördelningsnyckel"),
        lambda data: services.key_create(acting_user=request.user, federation=federation, **data),
        _("Nyckeln har skapats."),
        subnav="allocation/_subnav.html",
    )


@capability_required(MANAGE_POOLS)
def key_values(request, pk):
    key = selectors.key_get(request.user, pk)
    if key.kind not in VALUE_KINDS:
        raise Http404
    form = KeyValuesForm(request.POST or None, key=key)
    return form_page(
        request,
        form,
        _("Värden för %(name)s") % {"name": key},
        lambda data: services.key_values_set(acting_user=request.user, key=key, values=form.values()),
        _("Värdena har sparats."),
        subnav="allocation/_subnav.html",
    )


@capability_required(MANAGE_POOLS)
def key_component_add(request, pk):
    mix = selectors.key_get(request.user, pk)
    if mix.kind != KeyKind.MIX:
        raise Http404
    return form_page(
        request,
        KeyComponentForm(request.POST or None, user=request.user, mix=mix),
        _("Lägg till komponent i %(name)s") % {"name": mix},
        lambda data: services.key_component_add(acting_user=request.user, mix=mix, **data).mix,
        _("Komponenten har lagts till."),
        subnav="allocation/_subnav.html",
    )


@capability_required(VIEW_ALLOCATIONS)
def run_detail(request, pk):
    run = selectors.run_get(request.user, pk)
    lines = [(line, basis_text(line.basis)) for line in run.lines.all()]
    others = selectors.runs_for(request.user).filter(pool=run.pool).exclude(pk=run.pk)
    return render(
        request,
        "allocation/run_detail.html",
        {
            "run": run,
            "lines": lines,
            "line_total": sum(line.amount for line, _text in lines),
            "inputs_json": json.dumps(run.inputs, ensure_ascii=False, indent=2),
            "reproduces": selectors.run_reproduces(run),
            "others": others,
            "title": run.display_name,
            # Approved runs never change: neither button is offered for them.
            "may_approve": not run.is_approved and has_capability(request.user, APPROVE_RUN),
            "may_delete": not run.is_approved and has_capability(request.user, CREATE_RUN),
        },
    )


@require_POST
@capability_required(APPROVE_RUN)
def run_approve(request, pk):
    run = selectors.run_get(request.user, pk)
    try:
        services.run_approve(acting_user=request.user, run=run)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Körningen är godkänd och kan inte längre ändras."))
    return redirect("allocation:run-detail", pk=pk)


@require_POST
@capability_required(CREATE_RUN)
def run_delete(request, pk):
    run = selectors.run_get(request.user, pk)
    pool_pk = run.pool_id
    try:
        services.run_delete(acting_user=request.user, run=run)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("allocation:run-detail", pk=pk)
    messages.success(request, _("Utkastet har tagits bort."))
    return redirect("allocation:pool-detail", pk=pool_pk)


def _download(table, fmt: str, name: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    body = to_csv(table) if fmt == "csv" else to_xlsx(table)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slugify(name) or "fordelning"}.{fmt}"'
    return response


@capability_required(VIEW_ALLOCATIONS)
def run_export(request, pk, fmt):
    run = selectors.run_get(request.user, pk)
    return _download(run_table(run), fmt, run.label)


@capability_required(VIEW_ALLOCATIONS)
def run_compare(request):
    form = CompareForm(request.GET or None, user=request.user)
    comparison = None
    if form.is_valid():
        comparison = usecases.run_comparison(form.cleaned_data["first"], form.cleaned_data["second"])
        fmt = request.GET.get("format")
        if fmt:
            return _download(comparison_table(comparison), fmt, comparison_table(comparison).title)
    return render(
        request,
        "allocation/run_compare.html",
        {"form": form, "comparison": comparison, "title": _("Jämför körningar"), "query": request.GET.urlencode()},
    )


def _decision(request):
    """The decision-basis form and, when it is valid, its result (shared by the page and the PDF)."""
    form = DecisionBasisForm(request.GET or None, user=request.user)
    basis = None
    if form.is_valid():
        try:
            basis = usecases.decision_basis(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return form, basis


@capability_required(USE_CALCULATORS)
def decision_basis_page(request):
    form, basis = _decision(request)
    return render(
        request,
        "allocation/decision_basis.html",
        {"form": form, "basis": basis, "title": _("Beslutsunderlag för ny medlem"), "query": request.GET.urlencode()},
    )


@capability_required(USE_CALCULATORS)
def decision_basis_pdf(request):
    import weasyprint

    _form, basis = _decision(request)
    if basis is None:
        return redirect(f"{reverse('allocation:decision-basis')}?{request.GET.urlencode()}")
    html = render_to_string(
        "allocation/decision_basis_pdf.html",
        {"basis": basis, "title": _("Beslutsunderlag för ny medlem")},
        request=request,
    )
    pdf = weasyprint.HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="beslutsunderlag-{slugify(basis.prospect_name)}.pdf"'
    return response


@capability_required(USE_CALCULATORS)
def business_case(request):
    """Investment, straight-line capital cost, operations and cost per user (seed 003 prefilled)."""
    form = BusinessCaseForm(request.GET or BusinessCaseForm.defaults(), user=request.user)
    result = None
    if form.is_valid():
        try:
            result = usecases.business_case(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc))
    save_url = None
    if result is not None and has_capability(request.user, MANAGE_BUSINESS_CASES):
        save_url = f"{reverse('allocation:business-case-create')}?{request.GET.urlencode()}"
    return render(
        request,
        "allocation/business_case.html",
        {"form": form, "result": result, "save_url": save_url, "title": _("Investeringskalkyl")},
    )


@capability_required(USE_CALCULATORS)
def calculator(request):
    """Upload a CSV and apportion a total without storing anything (the CLI in the browser)."""
    form = CalculatorForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            table = read_key_table(open_text(data["file"]))
            result = usecases.apportion_table(table=table, total=data["total"], key=data["key"], unit=data["unit"])
        except UnicodeDecodeError:
            form.add_error("file", _("Filen är inte UTF-8-kodad."))
        except KeyFileError as exc:
            form.add_error("file", str(exc))
        except DomainError as exc:
            form.add_error(None, str(exc))
    return render(
        request,
        "allocation/calculator.html",
        {"form": form, "result": result, "title": _("Snabbfördelning från fil")},
    )


# --- Saved business cases: options side by side, against today's costs


@capability_required(USE_CALCULATORS)
def business_case_list(request):
    return render(
        request,
        "allocation/business_case_list.html",
        {
            "studies": selectors.business_cases_for(request.user),
            "may_manage": has_capability(request.user, MANAGE_BUSINESS_CASES),
            "title": _("Sparade investeringskalkyler"),
        },
    )


CALCULATOR_FIELDS = {"years": "depreciation_years"}  # the calculator's field names → the option form's


@capability_required(MANAGE_BUSINESS_CASES)
def business_case_create(request):
    """The case (name, today's costs) and its first option on one page."""
    # Opened from the calculator ("Spara som kalkyl"): its figures as the first option.
    given = {CALCULATOR_FIELDS.get(k, k): v for k, v in request.GET.items() if k != "key"}
    study_form = BusinessCaseStudyForm(request.POST or None, prefix="kalkyl", initial={"name": given.get("name")})
    option_form = BusinessCaseOptionForm(
        request.POST or None, prefix="alternativ", initial={**given, "name": _("Förslag 1")} if given else None
    )
    if request.method == "POST" and study_form.is_valid() and option_form.is_valid():
        try:
            study = services.business_case_save(
                acting_user=request.user,
                federation=request.user.federation,
                options=[option_form.cleaned_data],
                **study_form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(option_form, exc)
        else:
            messages.success(request, _("Kalkylen har sparats."))
            return redirect("allocation:business-case-detail", pk=study.pk)
    return render(
        request,
        "allocation/business_case_form.html",
        {"study_form": study_form, "option_form": option_form, "title": _("Ny investeringskalkyl")},
    )


def _stored_options(study) -> list[dict]:
    return [
        {
            "name": o.name,
            "components": o.components,
            "depreciation_years": o.depreciation_years,
            "interest_rate": o.interest_rate,
            "operations": o.operations,
            "per_user": o.per_user,
            "users": o.users,
            "first_year": o.first_year,
            "note": o.note,
        }
        for o in study.options.all()
    ]


@capability_required(MANAGE_BUSINESS_CASES)
def business_case_edit(request, pk):
    study = selectors.business_case_get(request.user, pk)
    initial = {
        "name": study.name,
        "description": study.description,
        "current_costs": "\n".join(f"{c['name']}; {c['amount']}" for c in study.current_costs),
    }
    return form_page(
        request,
        BusinessCaseStudyForm(request.POST or None, initial=initial),
        _("Ändra %(name)s") % {"name": study.name},
        lambda data: reverse(
            "allocation:business-case-detail",
            args=[
                services.business_case_save(
                    acting_user=request.user,
                    federation=study.federation,
                    study=study,
                    options=_stored_options(study),
                    **data,
                ).pk
            ],
        ),
        _("Ändringarna har sparats."),
        subnav="allocation/_subnav.html",
    )


@capability_required(USE_CALCULATORS)
def business_case_detail(request, pk):
    study = selectors.business_case_get(request.user, pk)
    try:
        saved = usecases.saved_business_case(study)
    except DomainError as exc:  # figures stored before a rule changed: show the case, say why
        messages.error(request, str(exc))
        saved = None
    return render(
        request,
        "allocation/business_case_detail.html",
        {
            "study": study,
            "saved": saved,
            "may_manage": has_capability(request.user, MANAGE_BUSINESS_CASES, obj=study),
            "title": study.name,
        },
    )


@capability_required(MANAGE_BUSINESS_CASES)
def business_case_option_add(request, pk):
    study = selectors.business_case_get(request.user, pk)
    initial = {"name": _("Förslag %(n)s") % {"n": study.options.count() + 1}}
    return form_page(
        request,
        BusinessCaseOptionForm(request.POST or None, initial=initial),
        _("Nytt alternativ i %(name)s") % {"name": study.name},
        lambda data: reverse(
            "allocation:business-case-detail",
            args=[services.business_case_option_add(acting_user=request.user, study=study, option=data).study_id],
        ),
        _("Alternativet har lagts till."),
        subnav="allocation/_subnav.html",
    )


@require_POST
@capability_required(MANAGE_BUSINESS_CASES)
def business_case_option_delete(request, pk, option_pk):
    study = selectors.business_case_get(request.user, pk)
    option = get_object_or_404(study.options.all(), pk=option_pk)
    services.business_case_option_delete(acting_user=request.user, option=option)
    messages.success(request, _("Alternativet är borttaget."))
    return redirect("allocation:business-case-detail", pk=study.pk)


@require_POST
@capability_required(MANAGE_BUSINESS_CASES)
def business_case_delete(request, pk):
    study = selectors.business_case_get(request.user, pk)
    services.business_case_delete(acting_user=request.user, study=study)
    messages.success(request, _("Kalkylen är borttagen."))
    return redirect("allocation:business-case-list")
