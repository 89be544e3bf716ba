"""Pages of performance: the year's goal table, goal and indicator editing, hand-entered
values and the assessment of a goal (with the proposal its indicators make)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.forms import add_service_errors, form_page
from samverkan.core.params import year_or
from samverkan.core.permissions import capability_required, has_capability
from samverkan.performance.policies import EDIT_GOALS, VIEW_PERFORMANCE
from samverkan.performance.selectors import goals as selectors
from samverkan.performance.services import goals as services
from samverkan.performance.views.goal_forms import (
    AssessmentForm,
    GoalAreaForm,
    GoalForm,
    IndicatorForm,
    ManualValueForm,
    TargetForm,
)


def _table_url(year: int | None = None) -> str:
    url = reverse("performance:goal_table")
    return f"{url}?ar={year}" if year else url


def _indicator_url(pk: int) -> str:
    return reverse("performance:indicator_detail", args=[pk])


@capability_required(VIEW_PERFORMANCE)
def goal_table(request):
    year = year_or(request.GET.get("ar"), timezone.localdate().year - 1)
    blocks = selectors.goal_table(request.user, year=year)
    summary = selectors.summary(blocks)
    return render(
        request,
        "performance/goal_table.html",
        {
            "title": _("Måluppfyllelse %(year)s") % {"year": year},
            "year": year,
            "blocks": blocks,
            "summary": selectors.summary_text(summary) if summary.total else "",
            "may_edit": has_capability(request.user, EDIT_GOALS),
        },
    )


@capability_required(EDIT_GOALS)
def area_create(request):
    federation = request.user.federation
    return form_page(
        request,
        GoalAreaForm(request.POST or None),
        _("Nytt målområde"),
        lambda data: services.area_create(acting_user=request.user, federation=federation, **data) and _table_url(),
        _("Målområdet har skapats."),
        _table_url(),
    )


@capability_required(EDIT_GOALS)
def area_edit(request, pk: int):
    area = selectors.area_get(request.user, pk)
    form = GoalAreaForm(request.POST or None, initial={"name": area.name, "position": area.position})
    return form_page(
        request,
        form,
        _("Ändra målområde"),
        lambda data: services.area_update(acting_user=request.user, area=area, data=data) and _table_url(),
        _("Målområdet har sparats."),
        _table_url(),
    )


@capability_required(EDIT_GOALS)
def goal_create(request):
    return form_page(
        request,
        GoalForm(request.POST or None, user=request.user),
        _("Nytt mål"),
        lambda data: _goal_url(services.goal_create(acting_user=request.user, **data).pk),
        _("Målet har skapats."),
        _table_url(),
    )


def _goal_url(pk: int) -> str:
    return reverse("performance:goal_detail", args=[pk])


@capability_required(VIEW_PERFORMANCE)
def goal_detail(request, pk: int):
    goal = selectors.goal_get(request.user, pk)
    year = year_or(request.GET.get("ar"), max(goal.first_year, min(goal.last_year, timezone.localdate().year - 1)))
    row = selectors.goal_row(goal, year)
    return render(
        request,
        "performance/goal_detail.html",
        {
            "title": _("Mål"),
            "goal": goal,
            "row": row,
            "year": year,
            "years": range(goal.first_year, goal.last_year + 1),
            "may_edit": has_capability(request.user, EDIT_GOALS, federation=goal.area.federation),
        },
    )


@capability_required(EDIT_GOALS)
def goal_edit(request, pk: int):
    goal = selectors.goal_get(request.user, pk)
    initial = {f: getattr(goal, f) for f in ("area", "text", "first_year", "last_year", "position")}
    return form_page(
        request,
        GoalForm(request.POST or None, user=request.user, initial=initial),
        _("Ändra mål"),
        lambda data: _goal_url(services.goal_update(acting_user=request.user, goal=goal, data=data).pk),
        _("Målet har sparats."),
        _goal_url(goal.pk),
    )


@capability_required(EDIT_GOALS)
def indicator_create(request, goal_pk: int):
    goal = selectors.goal_get(request.user, goal_pk)
    form = IndicatorForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        _("Ny indikator"),
        lambda data: _indicator_url(
            services.indicator_create(acting_user=request.user, goal=goal, **form.service_data()).pk
        ),
        _("Indikatorn har skapats."),
        _goal_url(goal.pk),
    )


@capability_required(VIEW_PERFORMANCE)
def indicator_detail(request, pk: int):
    indicator = selectors.indicator_get(request.user, pk)
    goal = indicator.goal
    rows = [selectors.indicator_row(indicator, year) for year in range(goal.first_year, goal.last_year + 1)]
    return render(
        request,
        "performance/indicator_detail.html",
        {
            "title": indicator.name,
            "indicator": indicator,
            "rows": rows,
            "manual_values": indicator.manual_values.order_by("year"),
            "may_edit": has_capability(request.user, EDIT_GOALS, federation=goal.area.federation),
        },
    )


@capability_required(EDIT_GOALS)
def indicator_edit(request, pk: int):
    indicator = selectors.indicator_get(request.user, pk)
    params = indicator.parameters
    initial = {
        "name": indicator.name,
        "unit": indicator.unit,
        "source": indicator.source,
        "position": indicator.position,
        "queue": params.get("queue"),
        "team": params.get("team"),
        "survey_area": params.get("area"),
        "kind": params.get("kind", "resolution"),
    }
    form = IndicatorForm(request.POST or None, user=request.user, initial=initial)
    return form_page(
        request,
        form,
        _("Ändra indikator"),
        lambda data: _indicator_url(
            services.indicator_update(acting_user=request.user, indicator=indicator, data=form.service_data()).pk
        ),
        _("Indikatorn har sparats."),
        _indicator_url(indicator.pk),
    )


@capability_required(EDIT_GOALS)
def target_set(request, pk: int):
    indicator = selectors.indicator_get(request.user, pk)
    return form_page(
        request,
        TargetForm(request.POST or None),
        _("Målvärde för %(name)s") % {"name": indicator.name},
        lambda data: (
            services.target_set(acting_user=request.user, indicator=indicator, **data) and _indicator_url(indicator.pk)
        ),
        _("Målvärdet har sparats."),
        _indicator_url(indicator.pk),
    )


@capability_required(EDIT_GOALS)
def manual_value_set(request, pk: int):
    indicator = selectors.indicator_get(request.user, pk)
    return form_page(
        request,
        ManualValueForm(request.POST or None, request.FILES or None),
        _("Värde för %(name)s") % {"name": indicator.name},
        lambda data: (
            services.manual_value_set(acting_user=request.user, indicator=indicator, **data)
            and _indicator_url(indicator.pk)
        ),
        _("Värdet har sparats."),
        _indicator_url(indicator.pk),
        multipart=True,
    )


@capability_required(EDIT_GOALS)
def assessment_set(request, pk: int, year: int):
    goal = selectors.goal_get(request.user, pk)
    row = selectors.goal_row(goal, year)
    initial = {"fulfilment": row.assessment.fulfilment if row.assessment else row.proposed}
    if row.assessment:
        initial["comment"] = row.assessment.comment
    form = AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_set(acting_user=request.user, goal=goal, year=year, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Bedömningen har sparats."))
            return redirect(f"{_goal_url(goal.pk)}?ar={year}")
    return render(
        request,
        "performance/assessment_form.html",
        {"title": _("Bedömning %(year)s") % {"year": year}, "goal": goal, "row": row, "year": year, "form": form},
    )


urlpatterns = [
    path("maluppfyllelse/", goal_table, name="goal_table"),
    path("malomraden/ny/", area_create, name="goal_area_create"),
    path("malomraden/<int:pk>/", area_edit, name="goal_area_edit"),
    path("mal/ny/", goal_create, name="goal_create"),
    path("mal/<int:pk>/", goal_detail, name="goal_detail"),
    path("mal/<int:pk>/andra/", goal_edit, name="goal_edit"),
    path("mal/<int:pk>/bedomning/<int:year>/", assessment_set, name="assessment_set"),
    path("mal/<int:goal_pk>/indikatorer/ny/", indicator_create, name="indicator_create"),
    path("indikatorer/<int:pk>/", indicator_detail, name="indicator_detail"),
    path("indikatorer/<int:pk>/andra/", indicator_edit, name="indicator_edit"),
    path("indikatorer/<int:pk>/malvarde/", target_set, name="target_set"),
    path("indikatorer/<int:pk>/varde/", manual_value_set, name="manual_value_set"),
]
