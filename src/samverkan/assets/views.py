"""Pages of the inventory register."""

from __future__ import annotations

import csv
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.assets import forms, selectors, services, tasks
from samverkan.assets.policies import IMPORT_ASSETS, MANAGE_ASSETS, VIEW_ASSET_REPORTS, VIEW_ASSETS
from samverkan.core import job_uploads, listing
from samverkan.core.forms import add_error_messages, add_service_errors
from samverkan.core.params import id_or_none, year_or
from samverkan.core.permissions import capability_required, has_capability
from samverkan.members.selectors import member_from_query, members_for


def _date(value: str | None) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return timezone.localdate()


def _asset_sorting(request) -> listing.Sorting:
    return listing.Sorting(
        request,
        [
            listing.SortColumn("nummer", _("Inventarienummer"), ("inventory_number",)),
            listing.SortColumn("typ", _("Typ"), ("asset_type",)),
            listing.SortColumn("beskrivning", _("Beskrivning"), ("description",)),
            listing.SortColumn("innehavare", _("Innehavare"), ("member__name", "department__name", "holder_name")),
            listing.SortColumn("status", _("Status"), ("status",)),
            listing.SortColumn("varde", _("Anskaffningsvärde"), ("purchase_value",)),
        ],
        default="nummer",
    )


def _asset_xlsx(request, assets, today: date):
    columns = [
        listing.XlsxColumn(_("Inventarienummer"), width=16),
        listing.XlsxColumn(_("Typ"), width=14),
        listing.XlsxColumn(_("Beskrivning"), width=30),
        listing.XlsxColumn(_("Serienummer"), width=18),
        listing.XlsxColumn(_("Medlem"), width=22),
        listing.XlsxColumn(_("Förvaltning"), width=22),
        listing.XlsxColumn(_("Innehavare (person)"), width=22),
        listing.XlsxColumn(_("Status"), width=14),
        listing.XlsxColumn(_("Anskaffningsdatum"), "date", 12),
        listing.XlsxColumn(_("Anskaffningsvärde"), "money"),
        listing.XlsxColumn(_("Bokfört värde i dag"), "money"),
    ]
    return listing.xlsx_export(
        request,
        assets,
        title=_("Inventarier"),
        filename="inventarier.xlsx",
        columns=columns,
        rows=lambda found: (
            (
                a.inventory_number,
                a.get_asset_type_display(),
                a.description,
                a.serial_number,
                a.member.name if a.member else "",
                a.department.name if a.department else "",
                a.holder_name,
                a.get_status_display(),
                a.purchase_date,
                a.purchase_value,
                selectors.book_value(a, today),
            )
            for a in found
        ),
    )


@capability_required(VIEW_ASSETS)
def asset_list(request):
    """The register filtered by text, status, type, member and purchase date, sortable, with the
    count and purchase value of the whole selection, and the same selection as XLSX."""
    form = forms.FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    member = member_from_query(request.user, request.GET.get("medlem"))
    if member is not None:
        filters = {**filters, "member": member.pk}
    assets = selectors.asset_list(request.user, **{k: v for k, v in filters.items() if v})
    dates = listing.period_from(request)
    sorting = _asset_sorting(request)
    assets = dates.filter(assets, "purchase_date").order_by(*sorting.order_by())
    today = timezone.localdate()
    if listing.wants_xlsx(request):
        return _asset_xlsx(request, assets, today)
    totals = assets.aggregate(count=Count("pk"), purchase_value=Sum("purchase_value"))
    paginator = Paginator(assets, 50)
    paginator.count = totals["count"]  # known already: no second COUNT(*)
    page = paginator.get_page(request.GET.get("sida"))
    rows = [(a, selectors.book_value(a, today)) for a in page.object_list]
    return render(
        request,
        "assets/asset_list.html",
        {
            "title": _("Inventarier"),
            "page": page,
            "rows": rows,
            "filter_form": form,
            "member": member,
            "members": members_for(request.user).order_by("name"),
            "dates": dates,
            "sorting": sorting,
            "totals": totals,
            "xlsx_query": listing.xlsx_query(request),
            "today": today,
            "can_write": has_capability(request.user, MANAGE_ASSETS),
            "can_see_reports": has_capability(request.user, VIEW_ASSET_REPORTS),
            "can_import": has_capability(request.user, IMPORT_ASSETS),
            "counts": selectors.status_counts(request.user),
        },
    )


@capability_required(VIEW_ASSETS)
def asset_detail(request, pk: int):
    asset = selectors.asset_get(request.user, pk)
    today = timezone.localdate()
    from samverkan.portal.selectors import tickets_for

    return render(
        request,
        "assets/asset_detail.html",
        {
            "title": str(asset),
            "asset": asset,
            "book_value": selectors.book_value(asset, today),
            "today": today,
            "schedule": selectors.schedule(asset),
            "events": asset.events.all(),
            "tickets": tickets_for(request.user).filter(assets=asset),
            "can_write": has_capability(request.user, MANAGE_ASSETS),
            "status_form": forms.StatusForm(),
            "link_form": forms.TicketLinkForm(),
        },
    )


def _save(request, form, call, success):
    if request.method == "POST" and form.is_valid():
        try:
            asset = call(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("assets:asset-detail", pk=asset.pk)
    return None


@capability_required(MANAGE_ASSETS)
def asset_create(request):
    form = forms.AssetForm(request.POST or None, user=request.user)
    response = _save(
        request,
        form,
        lambda data: services.asset_create(acting_user=request.user, federation=request.user.federation, **data),
        _("Inventarien är registrerad."),
    )
    return response or render(request, "core/form.html", {"form": form, "title": _("Ny inventarie")})


@capability_required(MANAGE_ASSETS)
def asset_edit(request, pk: int):
    asset = selectors.asset_get(request.user, pk)
    # The form validates into its own copy: the service compares the new values with `asset`'s.
    form = forms.AssetForm(request.POST or None, instance=selectors.asset_get(request.user, pk), user=request.user)
    response = _save(
        request,
        form,
        lambda data: services.asset_update(acting_user=request.user, asset=asset, data=data)[0],
        _("Ändringarna är sparade."),
    )
    return response or render(request, "core/form.html", {"form": form, "title": _("Ändra %(a)s") % {"a": asset}})


@require_POST
@capability_required(MANAGE_ASSETS)
def asset_status(request, pk: int):
    asset = selectors.asset_get(request.user, pk)
    form = forms.StatusForm(request.POST)
    if form.is_valid():
        try:
            services.asset_change_status(acting_user=request.user, asset=asset, **form.cleaned_data)
        except ValidationError as exc:
            add_error_messages(request, exc)
        else:
            messages.success(request, _("Status ändrad."))
    else:
        messages.error(request, _("Kontrollera uppgifterna."))
    return redirect("assets:asset-detail", pk=pk)


@require_POST
@capability_required(MANAGE_ASSETS)
def asset_link_ticket(request, pk: int):
    from samverkan.portal.selectors import ticket_get

    asset = selectors.asset_get(request.user, pk)
    form = forms.TicketLinkForm(request.POST)
    if form.is_valid():
        ticket = ticket_get(request.user, form.cleaned_data["ticket"])
        services.asset_link_ticket(acting_user=request.user, asset=asset, ticket=ticket)
        messages.success(request, _("Ärendet är kopplat."))
    return redirect("assets:asset-detail", pk=pk)


@capability_required(IMPORT_ASSETS)
def asset_import(request):
    """Upload a register: a background job imports it; this page follows it (``?jobb=<id>``)."""
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        here = reverse("assets:asset-import")
        job = tasks.start(acting_user=request.user, upload=form.cleaned_data["file"], origin_url=here)
        return redirect(f"{here}?{job_uploads.QUERY}={job.pk}")
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Importera inventarieregister"),
            "multipart": True,
            "job": job_uploads.shown(request, tasks.KIND),
        },
    )


@capability_required(VIEW_ASSET_REPORTS)
def register_report(request):
    """The asset register of one member on a date (CSV with ?format=csv)."""
    on = _date(request.GET.get("datum"))
    members = members_for(request.user)
    member = members.filter(pk=id_or_none(request.GET.get("medlem")) or 0).first() or members.first()
    rows, totals = (
        selectors.register(request.user, member_id=member.pk if member else None, on=on) if member else ([], {})
    )
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="inventarieregister-{on}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow(
            [
                "Inventarienummer",
                "Typ",
                "Beskrivning",
                "Förvaltning",
                "Anskaffningsdatum",
                "Anskaffningsvärde",
                "Avskrivningstid",
                "Ackumulerad avskrivning",
                "Bokfört värde",
            ]
        )
        for r in rows:
            a = r.asset
            writer.writerow(
                [
                    a.inventory_number,
                    a.get_asset_type_display(),
                    a.description,
                    a.department.name if a.department else "",
                    a.purchase_date,
                    a.purchase_value,
                    a.depreciation_years,
                    r.accumulated,
                    r.book_value,
                ]
            )
        return response
    return render(
        request,
        "assets/register.html",
        {
            "title": _("Inventarieregister per medlem"),
            "rows": rows,
            "totals": totals,
            "on": on,
            "member": member,
            "members": members,
        },
    )


@capability_required(VIEW_ASSET_REPORTS)
def depreciation_report(request):
    year = year_or(request.GET.get("ar"), timezone.localdate().year)
    rows = selectors.depreciation_by_class(request.user, year=year)
    return render(
        request,
        "assets/depreciation.html",
        {
            "title": _("Avskrivningar per klass %(year)s") % {"year": year},
            "rows": rows,
            "year": year,
            "years": range(year - 4, year + 3),
            "total": {
                "assets": sum(r.assets for r in rows),
                "cost": sum(r.cost for r in rows),
                "depreciation": sum(r.depreciation for r in rows),
                "book_value_end": sum(r.book_value_end for r in rows),
            },
        },
    )
