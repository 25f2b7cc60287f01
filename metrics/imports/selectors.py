"""Reads of KPI imports; each starts from the scoped queryset (DESIGN §2)."""

from django.db.models import Count, QuerySet

from metrics.imports.models import KPIImport
from metrics.measurements.models import KPIMeasurement
from metrics.measurements.selectors import kpi_measurement_list
from partnership.models import Partnership, User

#: The values an import's page lists (the rest are on the KPIs' pages).
SHOWN_VALUES = 50


def kpi_import_list(*, user: User, partnership: Partnership | int | None = None
                    ) -> QuerySet[KPIImport]:
    """The imports the user may see (of one partnership), newest first, with who uploaded."""
    imports = KPIImport.objects.visible_to(user).select_related("uploaded_by")
    return imports.filter(partnership=partnership) if partnership else imports


def kpi_import_get(*, user: User, partnership: Partnership, pk: int) -> KPIImport:
    return kpi_import_list(user=user, partnership=partnership).get(pk=pk)


def imported_values(*, user: User, kpi_import: KPIImport) -> list[KPIMeasurement]:
    """The first values the import entered, as the user sees them (one query)."""
    if not kpi_import.values:
        return []
    return list(kpi_measurement_list(user=user, partnership=kpi_import.partnership_id).filter(
        pk__in=kpi_import.values[:SHOWN_VALUES]).order_by("key", "period"))


def imported_to_step(*, user: User, kpi_import: KPIImport) -> dict[str, int]:
    """How many of the import's values are still drafts and how many submitted, as the
    user sees them: what its page offers to submit or share at once (one query)."""
    if not kpi_import.values:
        return {}
    counts = dict(kpi_measurement_list(user=user, partnership=kpi_import.partnership_id)
                  .filter(pk__in=kpi_import.values, status__in=(
                      KPIMeasurement.Status.DRAFT, KPIMeasurement.Status.SUBMITTED))
                  .order_by().values("status").annotate(n=Count("pk"))
                  .values_list("status", "n"))
    return {"drafts": counts.get(KPIMeasurement.Status.DRAFT, 0),
            "submitted": counts.get(KPIMeasurement.Status.SUBMITTED, 0)}
