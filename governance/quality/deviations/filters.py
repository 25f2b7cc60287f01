"""The filter bars of deviations and CAPAs (page and API); kept in the URL."""

import django_filters
from django.db.models import F, Q
from django.utils import timezone

from governance.quality.batches.models import Batch
from governance.quality.deviations.models import Capa, Classification, Deviation
from governance.quality.filters import _audit_sites
from portal.filters import BoundedChoiceField, OrderingFilter, ScopedFilterSet


def _deviation_batches(request):
    """Lots to filter by: the partnership's in the URL (any the caller may see, in the API;
    ScopedFilterSet narrows to those)."""
    if request is None:
        return Batch.objects.none()
    batches = Batch.objects.all()
    match = getattr(request, "resolver_match", None)
    partnership_pk = match.kwargs.get("partnership_pk") if match else None
    if partnership_pk:
        batches = batches.filter(partnership_id=partnership_pk)
    return batches.order_by("-manufactured_on", "-pk")


class BatchChoiceField(BoundedChoiceField):
    """A partnership makes thousands of lots: the latest few, and a search by lot number."""

    search = staticmethod(lambda batches, text: batches.filter(lot_number__icontains=text))
    search_hint = "Lot number"


class BatchChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = BatchChoiceField




class DeviationFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=Deviation.Status.choices,
                                         empty_label="Any status")
    kind = django_filters.ChoiceFilter(choices=Deviation.Kind.choices, empty_label="Any type",
                                       label="Type")
    classification = django_filters.ChoiceFilter(choices=Classification.choices,
                                                 empty_label="Any class", label="Class")
    site = django_filters.ModelChoiceFilter(queryset=_audit_sites, empty_label="Any site")
    batch = BatchChoiceFilter(queryset=_deviation_batches, empty_label="Any lot",
                              label="Batch / lot")
    late = django_filters.BooleanFilter(method="filter_late", label="Notified late or overdue")
    ordering = OrderingFilter(
        fields=(("detected_at", "detected"), ("reference", "reference"),
                ("classification", "class"), ("status", "status")))

    class Meta:
        model = Deviation
        fields = ["q", "status", "kind", "classification", "site", "batch", "late"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value)
                               | Q(lot__icontains=value)
                               | Q(batch__lot_number__icontains=value))

    def filter_late(self, queryset, name, value):
        late = Q(sponsor_notified_at__gt=F("notify_by")) | Q(
            sponsor_notified_at__isnull=True, notify_by__lt=timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)


class CapaFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=Capa.Status.choices, empty_label="Any status")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Overdue")
    source = django_filters.ChoiceFilter(
        method="filter_source", label="Source", empty_label="Any source",
        choices=(("finding", "Audit finding"), ("deviation", "Deviation"),
                 ("complaint", "Complaint")))
    ordering = OrderingFilter(
        fields=(("number", "number"), ("due_date", "due"), ("status", "status")))

    class Meta:
        model = Capa
        fields = ["q", "status", "overdue", "source"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(action_plan__icontains=value))

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=Capa.ACTIVE, due_date__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_source(self, queryset, name, value):
        if value == "finding":
            return queryset.filter(finding__isnull=False)
        if value == "complaint":
            return queryset.filter(deviation__kind=Deviation.Kind.COMPLAINT)
        return queryset.filter(deviation__isnull=False).exclude(
            deviation__kind=Deviation.Kind.COMPLAINT)
