from django import forms
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from samverkan.core.auth import login_wait, throttled_message
from samverkan.domain.errors import DomainError


class LoginForm(AuthenticationForm):
    """The page login; an account that must wait (core.auth.login_wait) is told for how long."""

    def clean(self):
        username = self.cleaned_data.get("username")
        wait = login_wait(username) if username else 0
        if wait:
            raise forms.ValidationError(throttled_message(wait), code="throttled")
        try:
            return super().clean()
        except PermissionDenied:  # throttled between the check above and the password check
            raise forms.ValidationError(throttled_message(login_wait(username)), code="throttled") from None


def add_service_errors(form: forms.BaseForm, exc: ValidationError | DomainError) -> None:
    """Show a service's ValidationError (or the domain's refusal) on the form: errors of a field
    the form has go beside that field, the rest above the form."""
    if isinstance(exc, DomainError):
        form.add_error(None, str(exc))
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def add_error_messages(request, exc: ValidationError | DomainError) -> None:
    """The same for an action button that redirects: each message is shown on the next page."""
    for message in [str(exc)] if isinstance(exc, DomainError) else exc.messages:
        messages.error(request, message)


def form_page(request, form, title: str, save=None, done: str = "", cancel_url: str = "", **context):
    """The one create-or-edit page (core/form.html). With `save`, a valid POST calls
    `save(cleaned_data)` — the service — which returns where to go next (URL or object) and
    `done` is shown there; the service's refusal is shown on the form instead. Without `save`
    the view has handled the POST itself and only the page is drawn. `context` may add `intro`,
    `multipart`, `subnav`, `submit_label`."""
    if save is not None and request.method == "POST" and form.is_valid():
        try:
            target = save(form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(target)
    return render(request, "core/form.html", {"form": form, "title": title, "cancel_url": cancel_url, **context})
