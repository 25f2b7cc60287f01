"""The filter bar of the batch list (page and API); kept in the URL."""

import django_filters
from django.db.models import Q

from governance.quality.batches.models import Batch
from governance.quality.filters import _audit_sites
from partnership.models import Program
from portal.filters import OrderingFilter, ScopedFilterSet


def _batch_programs(request):
    """Programs to filter by: the partnership's in the URL (any the caller may see, in the
    API; ScopedFilterSet narrows to those)."""
    if request is None:
        return Program.objects.none()
    programs = Program.objects.filter(is_internal=False)
    match = getattr(request, "resolver_match", None)
    partnership_pk = match.kwargs.get("partnership_pk") if match else None
    if partnership_pk:
        programs = programs.filter(partnership_id=partnership_pk)
    return programs.order_by("code")


class BatchFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=Batch.Status.choices, empty_label="Any status")
    stage = django_filters.ChoiceFilter(choices=Batch.Stage.choices, empty_label="Any stage")
    site = django_filters.ModelChoiceFilter(queryset=_audit_sites, empty_label="Any site")
    program = django_filters.ModelChoiceFilter(queryset=_batch_programs,
                                               empty_label="Any program")
    ordering = OrderingFilter(
        fields=(("manufactured_on", "made"), ("lot_number", "lot"), ("stage", "stage"),
                ("status", "status"), ("site__name", "site")),
    )

    class Meta:
        model = Batch
        fields = ["q", "status", "stage", "site", "program"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(lot_number__icontains=value)
                               | Q(cdmo_review_note__icontains=value)
                               | Q(sponsor_review_note__icontains=value))
