"""Reads of KPI definitions; each starts from the scoped queryset (DESIGN §2)."""

from django.db.models import OuterRef, QuerySet, Subquery

from metrics.kpis import library
from metrics.kpis.models import KPIDefinition
from metrics.measurements.models import KPIMeasurement
from partnership.models import Partnership, User


def kpi_definition_list(*, user: User, partnership: Partnership | int | None = None
                        ) -> QuerySet[KPIDefinition]:
    """KPI definitions the user may see (of one partnership, given it or its id)."""
    definitions = KPIDefinition.objects.visible_to(user).select_related(
        "partnership__sponsor", "partnership__cdmo", "created_by").defer("search_document")
    return definitions.filter(partnership=partnership) if partnership else definitions


def kpi_definition_get(*, user: User, partnership: Partnership, pk: int) -> KPIDefinition:
    """One definition (DoesNotExist when the user may not see it)."""
    return kpi_definition_list(user=user, partnership=partnership).get(pk=pk)


def kpis_in_force(*, user: User, partnership: Partnership) -> list[KPIDefinition]:
    """The agreed definitions, each with its latest published value and period (one
    query): the KPIs page's scorecard. `latest_value` and `latest_period` are None
    before the first publication; its red / amber / green is `definition.rag(value)`."""
    latest = KPIMeasurement.objects.visible_to(user).published().filter(
        partnership=OuterRef("partnership"), key=OuterRef("key")).order_by("-period")
    definitions = kpi_definition_list(user=user, partnership=partnership).in_force().annotate(
        latest_value=Subquery(latest.values("value")[:1]),
        latest_period=Subquery(latest.values("period")[:1]),
        latest_pk=Subquery(latest.values("pk")[:1])).order_by("name")
    for definition in definitions:
        definition.latest_rag = definition.rag(definition.latest_value)
    return list(definitions)


def kpi_versions(*, user: User, definition: KPIDefinition) -> QuerySet[KPIDefinition]:
    """Every version of the definition's series, newest first."""
    return kpi_definition_list(user=user, partnership=definition.partnership_id).filter(
        key=definition.key).order_by("-version")


def reportable_definitions(*, user: User, partnership: Partnership) -> QuerySet[KPIDefinition]:
    """The agreed, entered KPIs whose values the user's party reports: the choices of the
    form that enters a value."""
    return kpi_definition_list(user=user, partnership=partnership).in_force().filter(
        data_source=KPIDefinition.Source.ENTERED,
        reporting_party=partnership.party_of(user)).order_by("name")


def standards_to_adopt(*, user: User, partnership: Partnership) -> list[library.Standard]:
    """The library's standard KPIs the partnership has no definition of yet (in any
    version or status): what "Adopt standard KPIs" still offers."""
    taken = set(kpi_definition_list(user=user, partnership=partnership)
                .values_list("key", flat=True))
    return [standard for standard in library.STANDARD if standard.key not in taken]
