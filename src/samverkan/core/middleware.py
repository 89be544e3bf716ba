"""Request hygiene shared by every module."""

from django.http import HttpResponseBadRequest


class RejectNulBytesMiddleware:
    """PostgreSQL text cannot hold NUL (0x00): a NUL in the path or query string would reach a
    filter and end as a 500 (SQLite would silently accept it). No real client sends one, so the
    request is refused with 400 before any view runs. The same goes for the Authorization header
    (the API token is looked up in the database). Form and serializer fields already refuse
    NUL in bodies (ProhibitNullCharactersValidator); a forged session cookie is no session
    (core/sessions.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if (
            "\x00" in request.path
            or "%00" in query
            or any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists())
        ):
            return HttpResponseBadRequest("NUL-tecken är inte tillåtna i adressen.")
        if "\x00" in request.META.get("HTTP_AUTHORIZATION", ""):
            return HttpResponseBadRequest("NUL-tecken är inte tillåtna i Authorization.")
        return self.get_response(request)


class ChosenLanguageMiddleware:
    """Swedish for everyone unless the user picked English with the language switch (cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an English-set
    browser in a Swedish municipality would get English pages nobody asked for.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
