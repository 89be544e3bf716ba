from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core import job_uploads
from samverkan.core.forms import add_service_errors
from samverkan.core.permissions import capability_required
from samverkan.core.todos import member_links
from samverkan.members import selectors, services, tasks
from samverkan.members.forms import (
    ContactForm,
    DepartmentForm,
    FigureForm,
    HandOverForm,
    MemberForm,
    MemberLeaveForm,
    PopulationImportForm,
    ServiceDateForm,
)
from samverkan.members.policies import MANAGE_FIGURES, MANAGE_MEMBERS, VIEW_MEMBERS


@capability_required(VIEW_MEMBERS)
def member_list(request):
    on = timezone.localdate()
    members = selectors.members_for(request.user).prefetch_related("periods", "handovers__service")
    return render(request, "members/member_list.html", {"members": members, "on": on, "title": _("Medlemmar")})


@capability_required(VIEW_MEMBERS)
def member_detail(request, pk):
    member = selectors.member_get(request.user, pk)
    history = selectors.member_history(member)
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "title": member.name,
            "history": history,
            "figures": member.figures.order_by("kind", "-reference_date"),
            "links": member_links(request.user, member),
        },
    )


@capability_required(MANAGE_MEMBERS)
def member_create(request):
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        joined = data.pop("joined")
        try:
            member = services.member_create(
                acting_user=request.user, federation=request.user.federation, joined=joined, **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Medlemmen har lagts till."))
            return redirect("members:member-detail", pk=member.pk)
    return render(request, "core/form.html", {"form": form, "title": _("Ny medlem")})


@capability_required(MANAGE_MEMBERS)
def member_edit(request, pk):
    member = selectors.member_get(request.user, pk)
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(
                member=selectors.member_get(request.user, pk), acting_user=request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Ändringarna har sparats."))
            return redirect("members:member-detail", pk=pk)
    return render(request, "core/form.html", {"form": form, "title": _("Ändra %(name)s") % {"name": member}})


@capability_required(MANAGE_MEMBERS)
def member_leave(request, pk):
    member = selectors.member_get(request.user, pk)
    form = MemberLeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_leave(acting_user=request.user, member=member, end=form.cleaned_data["end"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Utträdet är registrerat."))
            return redirect("members:member-detail", pk=pk)
    return render(request, "core/form.html", {"form": form, "title": _("Utträde för %(name)s") % {"name": member}})


def _child_form(request, pk, form_class, create, title, **form_kwargs):
    member = selectors.member_get(request.user, pk)
    form = form_class(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            create(acting_user=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Sparat."))
            return redirect("members:member-detail", pk=pk)
    return render(request, "core/form.html", {"form": form, "title": f"{title} – {member}"})


@capability_required(MANAGE_MEMBERS)
def handover_create(request, pk):
    return _child_form(
        request,
        pk,
        HandOverForm,
        services.handover_create,
        _("Överlämna verksamhet"),
        user=request.user,
    )


@capability_required(MANAGE_MEMBERS)
def department_create(request, pk):
    return _child_form(request, pk, DepartmentForm, services.department_create, _("Ny förvaltning"))


@capability_required(MANAGE_MEMBERS)
def department_edit(request, pk):
    department = get_object_or_404(selectors.departments_for(request.user), pk=pk)
    form = DepartmentForm(request.POST or None, instance=department)
    if request.method == "POST" and form.is_valid():
        try:
            services.department_update(
                department=get_object_or_404(selectors.departments_for(request.user), pk=pk),
                acting_user=request.user,
                data=form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Ändringarna har sparats."))
            return redirect("members:member-detail", pk=department.member_id)
    return render(request, "core/form.html", {"form": form, "title": _("Ändra %(name)s") % {"name": department}})


@capability_required(MANAGE_MEMBERS)
def contact_create(request, pk):
    return _child_form(request, pk, ContactForm, services.contact_create, _("Ny kontaktperson"))


def _figure_create(*, acting_user, member, kind, reference_date, value, source):
    return services.figures_store(
        acting_user=acting_user,
        rows=[services.FigureRow(member=member, kind=kind, reference_date=reference_date, value=value, source=source)],
    )


@capability_required(MANAGE_FIGURES)
def figure_create(request, pk):
    return _child_form(request, pk, FigureForm, _figure_create, _("Nytt underlag"))


@capability_required(MANAGE_FIGURES)
def population_import(request):
    """Upload an SCB file: a background job imports it; this page follows it (``?jobb=<id>``)."""
    form = PopulationImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        here = reverse("members:population-import")
        job = tasks.start(
            acting_user=request.user,
            upload=form.cleaned_data["file"],
            reference_date=form.cleaned_data["reference_date"],
            origin_url=here,
        )
        return redirect(f"{here}?{job_uploads.QUERY}={job.pk}")
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Importera folkmängd från SCB"),
            "multipart": True,
            "job": job_uploads.shown(request, tasks.KIND),
        },
    )


@capability_required(VIEW_MEMBERS)
def service_participants(request):
    """Who takes part in each service on a date — the question every cost key starts from."""
    form = ServiceDateForm(request.GET or None)
    on = form.cleaned_data["on"] if form.is_valid() else timezone.localdate()
    visible = selectors.members_for(request.user)
    rows = [
        (service, selectors.members_with_service(service, on).filter(pk__in=visible))
        for service in selectors.services_for(request.user)
    ]
    return render(
        request,
        "members/services.html",
        {"rows": rows, "on": on, "form": form, "title": _("Verksamheter och deltagare")},
    )
