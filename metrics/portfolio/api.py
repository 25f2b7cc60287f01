"""API resources of the cross-partnership KPI views, read-only and scoped like their pages
(DESIGN §2): `portfolio` — one row per agreed KPI of each of the sponsor's partnerships the
caller sees, with its latest and previous published value, red / amber / green and rank
among the partnerships on their values of one period (`ranked_period`, the same for each
row of a KPI); `cdmo-performance` — one row per KPI key with the CDMO's aggregates,
naming no sponsor. `?partnership=<id>` narrows both; a caller with no partnership of the
kind gets an empty list."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from metrics.kpis.models import KPIDefinition
from metrics.kpis.selectors import kpi_definition_list
from metrics.portfolio import selectors
from partnership.models import User
from partnership.scoping_views import ScopedViewSet
from portal.validation import parse_id


class PortfolioRowSerializer(serializers.Serializer):
    """One agreed KPI of one partnership, ranked among the sponsor's partnerships (1 is the
    best; null without a published value)."""

    id = serializers.IntegerField(source="pk", help_text="The KPI definition's id.")
    partnership = serializers.IntegerField(source="partnership_id")
    cdmo = serializers.CharField(source="partnership.cdmo.name")
    key = serializers.SlugField()
    name = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.CharField()
    target = serializers.DecimalField(max_digits=12, decimal_places=2)
    period = serializers.DateField(source="latest.period", read_only=True, allow_null=True)
    value = serializers.DecimalField(source="latest.value", max_digits=14, decimal_places=4,
                                     default=None, allow_null=True)
    previous_period = serializers.DateField(source="previous.period", read_only=True,
                                            allow_null=True)
    previous_value = serializers.DecimalField(source="previous.value", max_digits=14,
                                              decimal_places=4, default=None, allow_null=True)
    rag = serializers.CharField(source="latest_rag", allow_null=True)
    ranked_period = serializers.DateField(
        read_only=True, allow_null=True,
        help_text="The period whose values are ranked: the same for every row of the KPI.")
    ranked_value = serializers.DecimalField(
        source="ranked.value", max_digits=14, decimal_places=4, default=None,
        allow_null=True, help_text="This partnership's published value of ranked_period.")
    rank = serializers.IntegerField(allow_null=True)
    ranked_among = serializers.IntegerField()


class CdmoAggregateSerializer(serializers.Serializer):
    """One KPI key across the CDMO's partnerships the caller may see: counts, the mean and
    median of the latest published values, and how many are green, amber and red."""

    id = serializers.SlugField(source="key")
    key = serializers.SlugField()
    name = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.CharField()
    partnerships = serializers.IntegerField()
    valued = serializers.IntegerField(help_text="Partnerships with a published value.")
    mean = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    median = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    green = serializers.IntegerField()
    amber = serializers.IntegerField()
    red = serializers.IntegerField()


def portfolio_definitions(*, user: User, partnership: int | None = None):
    """The agreed definitions of the caller's portfolio (the browsable API's queryset)."""
    ids = [p.pk for p in selectors.portfolio_partnerships(user=user)]
    return kpi_definition_list(user=user, partnership=partnership).in_force().filter(
        partnership__in=ids)


def cdmo_view_definitions(*, user: User, partnership: int | None = None):
    """The agreed definitions the caller's CDMO view adds up (the browsable API's queryset)."""
    ids = [p.pk for p in selectors.cdmo_view_partnerships(user=user)]
    return kpi_definition_list(user=user, partnership=partnership).in_force().filter(
        partnership__in=ids)


class ReadRowsMixin(mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """A list computed in Python from the selectors (a rank or an aggregate needs every row
    of its group), paged like every list; one row by its id."""

    model = KPIDefinition

    @classmethod
    def get_extra_actions(cls):
        """No history: these rows are figures, not records (each definition's own history
        is on its resource)."""
        return [extra for extra in super().get_extra_actions() if extra.__name__ != "history"]

    def partnerships(self, found: list) -> list:
        asked = self.partnership_asked()
        return found if asked is None else [p for p in found if p.pk == asked]

    def paginate_queryset(self, queryset):
        """Figures ask no rule per row: nothing to read ahead for a page (ScopedViewSet reads
        the caller's role in each partnership of a page of records, a query whose need would
        then depend on how many partnerships the page spans)."""
        return GenericAPIView.paginate_queryset(self, queryset)

    def read(self, rows: list) -> list:
        """The rows of a page (or the one asked for) as the serializer reads them."""
        return rows

    def list(self, request, *args, **kwargs):
        page = self.read(self.paginate_queryset(self.rows()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        wanted = self.row_id(kwargs["pk"])
        row = next((row for row in self.rows() if self.id_of(row) == wanted), None)
        if wanted is None or row is None:
            raise Http404
        return Response(self.get_serializer(self.read([row])[0]).data)


class PortfolioViewSet(ReadRowsMixin, ScopedViewSet):
    """The sponsor's portfolio: each agreed KPI of each partnership, grouped by KPI and
    ranked best first within it (published values only)."""

    selector = portfolio_definitions
    serializer_class = PortfolioRowSerializer

    def rows(self) -> list:
        """Every partner's standing on every KPI (selectors.rankings, two queries); only
        a page's rows are read in full (read)."""
        user = self.request.user
        self.found = self.partnerships(selectors.portfolio_partnerships(user=user))
        return [standing for kpi in selectors.rankings(user=user, partnerships=self.found)
                for standing in kpi.standings]

    def read(self, rows: list) -> list:
        return selectors.read_rows(user=self.request.user, partnerships=self.found,
                                   standings=rows)

    @staticmethod
    def row_id(value):
        return parse_id(value)

    @staticmethod
    def id_of(row):
        return row.pk


class CdmoPerformanceViewSet(ReadRowsMixin, ScopedViewSet):
    """The CDMO's own performance across its sponsors, per KPI key: aggregates only."""

    selector = cdmo_view_definitions
    serializer_class = CdmoAggregateSerializer
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def rows(self) -> list:
        user = self.request.user
        partnerships = self.partnerships(selectors.cdmo_view_partnerships(user=user))
        return selectors.cdmo_performance(user=user, partnerships=partnerships)

    @extend_schema(parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH,
                                                description="The KPI's key.")])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @staticmethod
    def row_id(value):
        return value

    @staticmethod
    def id_of(row):
        return row.key


routes = [("portfolio", PortfolioViewSet, "portfolio"),
          ("cdmo-performance", CdmoPerformanceViewSet, "cdmoperformance")]
