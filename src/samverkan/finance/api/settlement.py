"""API of finance: settlement of an activity's result by key, and what a municipality pays.

* ``GET  settlements/?year=2024`` — every activity's result and its settlement, if made.
* ``POST settlements/`` ``{"year", "activity", "key", "billed_on"?, "preview"?}`` — with
  ``"preview": true`` the shares without storing anything (200); otherwise the settlement is
  made (201), or the existing one is returned unchanged (200, ``"created": false``).
* ``GET  member-costs/?kommunkod=2085&year=2024`` — per federation: invoiced, credited, net,
  budgeted, difference.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.allocation.selectors import keys_for
from samverkan.billing.policies import VIEW_INVOICES
from samverkan.core.params import id_field, query_params, year_field
from samverkan.finance.policies import EDIT_BUDGET, VIEW_REPORTS
from samverkan.finance.services.settlement import SettlementExists, settlement_create
from samverkan.finance.usecases import settlement as usecases
from samverkan.members.selectors import federation_for


class SettlementQuery(serializers.Serializer):
    year = year_field()
    federation = serializers.SlugField(required=False, help_text="Förbundets kortnamn (bara för superanvändare).")


class SettlementWrite(serializers.Serializer):
    year = year_field()
    activity = serializers.CharField(max_length=40, help_text="Verksamhetens objektkod, t.ex. 81141.")
    key = id_field(help_text="Fördelningsnyckelns id.")
    billed_on = serializers.DateField(required=False, help_text="Dagen vars fakturaperiod tar med regleringen.")
    preview = serializers.BooleanField(default=False)


class Settlements(APIView):
    read_capability = VIEW_REPORTS
    write_capability = EDIT_BUDGET

    @extend_schema(parameters=[SettlementQuery], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        params = query_params(SettlementQuery, request)
        federation = federation_for(request.user, params.get("federation"))
        overview = usecases.settlement_overview(user=request.user, federation=federation, year=params["year"])
        return Response(overview.as_dict())

    @extend_schema(request=SettlementWrite, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        payload = SettlementWrite(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        key = get_object_or_404(keys_for(request.user), pk=data["key"])
        federation = key.federation  # the key names the federation (a superuser has none of their own)
        try:
            if data["preview"]:
                preview = usecases.settlement_preview(
                    user=request.user, federation=federation, year=data["year"], activity=data["activity"], key=key
                )
                return Response(preview.as_dict())
            pool = settlement_create(
                acting_user=request.user,
                federation=federation,
                year=data["year"],
                activity=data["activity"],
                key=key,
                billed_on=data.get("billed_on"),
            )
        except SettlementExists as exc:
            body = {**usecases.settlement_detail(exc.pool).as_dict(), "created": False, "detail": exc.messages[0]}
            return Response(body, status=status.HTTP_200_OK)
        return Response({**usecases.settlement_detail(pool).as_dict(), "created": True}, status=status.HTTP_201_CREATED)


class MemberCostsQuery(serializers.Serializer):
    kommunkod = serializers.RegexField(r"^\d{4}$", help_text="Kommunkod, t.ex. 2085.")
    year = year_field()


class MemberCosts(APIView):
    """What one municipality pays each federation in a year (only the federations the user sees)."""

    capability = VIEW_INVOICES

    @extend_schema(parameters=[MemberCostsQuery], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        params = query_params(MemberCostsQuery, request)
        costs = usecases.member_costs(user=request.user, kommunkod=params["kommunkod"], year=params["year"])
        return Response(costs.as_dict())


urlpatterns = [
    path("settlements/", Settlements.as_view(), name="settlements"),
    path("member-costs/", MemberCosts.as_view(), name="member-costs"),
]
