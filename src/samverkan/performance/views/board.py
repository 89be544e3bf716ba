"""Pages of performance: the board's start page (also as PDF) and the Kolada comparison."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.core.forms import add_error_messages
from samverkan.core.params import year_or
from samverkan.core.permissions import capability_required, has_capability
from samverkan.domain.errors import DomainError
from samverkan.members.selectors import federation_for
from samverkan.performance.exporters import board_pdf
from samverkan.performance.importers import kolada
from samverkan.performance.policies import EDIT_GOALS, VIEW_PERFORMANCE
from samverkan.performance.selectors import board as selectors


class KoladaFetchForm(forms.Form):
    kpi = forms.RegexField(
        label=gettext_lazy("Nyckeltal (Kolada-id)"),
        regex=r"^[A-Za-z][0-9]{5}$",
        max_length=6,
        help_text=gettext_lazy("Till exempel N00002."),
        error_messages={
            "invalid": gettext_lazy("Ange ett nyckeltals id som en bokstav och fem siffror, t.ex. N00002.")
        },
    )
    year = forms.IntegerField(label=gettext_lazy("År"), min_value=1990, max_value=2100)


@capability_required(VIEW_PERFORMANCE)
def board_page(request):
    federation = federation_for(request.user, request.GET.get("forbund"), guess=True)
    today = date.today()
    year = year_or(request.GET.get("ar"), 0) or None
    data = selectors.board(request.user, federation, today=today, year=year)
    title = _("Styrelsens uppföljning")
    if request.GET.get("format") == "pdf":
        response = HttpResponse(board_pdf.render(data, title=title), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="styrelsens-uppfoljning-{data.year}.pdf"'
        return response
    return render(request, "performance/board.html", {"title": title, "board": data, "goals_url": _goals_url()})


def _goals_url() -> str:
    """The goals report the indicator cards link to (helper PA's page; the board until it exists)."""
    for name in ("performance:goals", "performance:goal_list", "performance:board"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return


@capability_required(VIEW_PERFORMANCE)
def kolada_page(request):
    federation = federation_for(request.user, request.GET.get("forbund"), guess=True)
    may_fetch = has_capability(request.user, EDIT_GOALS, federation=federation)
    form = KoladaFetchForm(initial={"kpi": "N00002", "year": date.today().year - 1}) if may_fetch else None
    if request.method == "POST":
        if not may_fetch:
            raise PermissionDenied
        form = KoladaFetchForm(request.POST)
        if form.is_valid():
            try:
                stored = kolada.refresh(
                    acting_user=request.user,
                    federation=federation,
                    kpi=form.cleaned_data["kpi"].upper(),
                    year=form.cleaned_data["year"],
                )
            except (ValidationError, DomainError) as exc:
                add_error_messages(request, exc)
                return redirect("performance:kolada")
            messages.success(request, _("%(count)s värden hämtades från Kolada.") % {"count": len(stored)})
            return redirect("performance:kolada")
    own_year = selectors.board_year(request.user, federation, date.today())
    return render(
        request,
        "performance/kolada.html",
        {
            "title": _("Jämförelse med andra kommuner (Kolada)"),
            "tables": selectors.kolada_tables(request.user, federation),
            "own": selectors.indicator_cards(request.user, federation, own_year),
            "own_year": own_year,
            "form": form,
        },
    )


urlpatterns = [
    path("", board_page, name="board"),
    path("kolada/", kolada_page, name="kolada"),
]
