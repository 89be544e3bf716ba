"""API of finance: the annual report's statements as JSON.

GET /api/v1/finance/statements/<kind>/?year=2023, kind one of income, balance, cashflow,
balance-requirement, financial-goal, notes. A missing or bad year is a 400, a year without an
imported ledger a 404; member contacts are refused (403) until the statements are published."""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.finance.policies import VIEW_PUBLISHED_STATEMENTS
from samverkan.finance.usecases import statements as usecases

KINDS = (*usecases.KINDS, "financial-goal", "notes")


class StatementView(APIView):
    capability = VIEW_PUBLISHED_STATEMENTS

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=list(KINDS)),
            OpenApiParameter("year", int, required=True),
        ],
        responses=dict,
    )
    def get(self, request, kind: str):
        if kind not in KINDS:
            raise Http404
        year = request.query_params.get("year", "")
        if not year:
            raise exceptions.ValidationError({"year": [_("Ange år med fyra siffror, t.ex. 2023.")]})
        federation = request.user.federation
        if federation is None:
            raise Http404
        try:
            if kind == "financial-goal":
                report = usecases.financial_goal_report(user=request.user, federation=federation, year=year)
            elif kind == "notes":
                report = usecases.notes_report(user=request.user, federation=federation, year=year)
            else:
                report = usecases.statement_report(user=request.user, federation=federation, kind=kind, year=year)
        except usecases.NoLedgerError as exc:
            raise exceptions.NotFound(str(exc)) from exc
        return Response(report.as_dict())


urlpatterns = [path("statements/<str:kind>/", StatementView.as_view(), name="statement")]
