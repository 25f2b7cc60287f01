"""Reads of computed values' sources. A value's page lists the records it was computed
from, each as a link only if the reader may see the record (its own scoped queryset,
`visible_to`); the others are counted, never named. Bounded: the first SHOWN sources, one
query for them, one per kind of record among them."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from metrics.computed.models import MeasurementSource
from metrics.measurements.models import KPIMeasurement
from partnership.models import User

SHOWN = 100


@dataclass(frozen=True)
class Source:
    kind: str
    counted_as: str
    record: object | None  # None: a record the reader may not see

    @property
    def url(self) -> str | None:
        if self.record is None:
            return None
        if hasattr(self.record, "get_absolute_url"):
            return self.record.get_absolute_url()
        parent = getattr(self.record, getattr(type(self.record), "PARENT", ""), None)
        return parent.get_absolute_url() if parent is not None else None


def measurement_sources(*, user: User, measurement: KPIMeasurement) -> dict:
    """{"sources": [Source], "hidden": how many of them the reader may not see, "total":
    how many records the value was computed from} for a value the user may see."""
    rows = list(MeasurementSource.objects.filter(measurement=measurement)
                .order_by("content_type_id", "object_id")[:SHOWN + 1])
    total = len(rows) if len(rows) <= SHOWN else \
        MeasurementSource.objects.filter(measurement=measurement).count()
    rows = rows[:SHOWN]
    wanted = defaultdict(list)
    for row in rows:
        wanted[row.content_type_id].append(row.object_id)
    seen = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        records = model._default_manager.visible_to(user).filter(pk__in=ids)
        parent = getattr(model, "PARENT", "")
        if parent:
            records = records.select_related(parent)
        seen.update({(type_id, record.pk): record for record in records})
    sources = [Source(ContentType.objects.get_for_id(row.content_type_id).model_class()
                      ._meta.verbose_name, row.counted_as,
                      seen.get((row.content_type_id, row.object_id))) for row in rows]
    return {"sources": sources, "hidden": sum(1 for s in sources if s.record is None),
            "total": total}


def sources_of(request, measurement) -> dict:
    """The sources the caller may see (kind, how it counted, URL) and how many are not."""
    listed = measurement_sources(user=request.user, measurement=measurement)
    return {"total": listed["total"], "hidden": listed["hidden"],
            "records": [{"kind": source.kind, "counted_as": source.counted_as,
                         "name": str(source.record),
                         "url": request.build_absolute_uri(source.url) if source.url else None}
                        for source in listed["sources"] if source.record is not None]}
