"""The filter bar of the audit programme (page and API); kept in the URL."""

import django_filters
from django.db.models import Q

from governance.quality.models import Audit, Finding
from governance.quality.sites.models import Inspection, SiteQualification, Subcontractor
from partnership.models import Site
from portal.filters import OrderingFilter, ScopedFilterSet


def _audit_sites(request):
    """Sites to filter by: the CDMO's of the partnership in the URL (any CDMO site the
    caller may see, in the API; ScopedFilterSet narrows to those)."""
    if request is None:
        return Site.objects.none()
    sites = Site.objects.filter(organization__kind="cdmo")
    match = getattr(request, "resolver_match", None)
    partnership_pk = match.kwargs.get("partnership_pk") if match else None
    if partnership_pk:
        sites = sites.filter(organization__cdmo_partnerships__pk=partnership_pk)
    return sites.order_by("name")


class AuditFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=Audit.Status.choices, empty_label="Any status")
    kind = django_filters.ChoiceFilter(choices=Audit.Kind.choices, empty_label="Any type",
                                       label="Type")
    site = django_filters.ModelChoiceFilter(queryset=_audit_sites, empty_label="Any site")
    ordering = OrderingFilter(
        fields=(("planned_start", "start"), ("kind", "type"), ("status", "status"),
                ("site__name", "site")),
    )

    class Meta:
        model = Audit
        fields = ["q", "status", "kind", "site"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(scope__icontains=value) | Q(agenda__icontains=value)
                               | Q(site__name__icontains=value))


class FindingFilter(ScopedFilterSet):
    classification = django_filters.ChoiceFilter(choices=Finding.Classification.choices)
    status = django_filters.ChoiceFilter(choices=Finding.Status.choices)
    audit = django_filters.NumberFilter(field_name="audit_id")

    class Meta:
        model = Finding
        fields = ["classification", "status", "audit"]


# --- Sites as the sponsor's QA sees them -------------------------------------------------

class QualificationFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=SiteQualification.Status.choices,
                                         empty_label="Any status")
    ordering = OrderingFilter(fields=(("site__name", "site"),
                                                     ("status", "status")))

    class Meta:
        model = SiteQualification
        fields = ["status"]


class InspectionFilter(ScopedFilterSet):
    authority = django_filters.ChoiceFilter(choices=Inspection.Authority.choices)
    outcome = django_filters.ChoiceFilter(choices=Inspection.Outcome.choices)
    qualification = django_filters.NumberFilter(field_name="qualification_id")

    class Meta:
        model = Inspection
        fields = ["authority", "outcome", "qualification"]


class SubcontractorFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=Subcontractor.Status.choices)
    qualification = django_filters.NumberFilter(field_name="qualification_id")

    class Meta:
        model = Subcontractor
        fields = ["status", "qualification"]
