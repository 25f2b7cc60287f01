"""The filter bar of the risk register (page and API); kept in the URL."""

import django_filters
from django.db.models import Q

from governance.risks.models import Risk
from partnership.models import User
from portal.filters import OrderingFilter, ScopedFilterSet

SCALE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


def _risk_owners(request):
    """Owners to filter by: people of the partnership in the URL (any the caller may see,
    in the API; ScopedFilterSet narrows to those)."""
    if request is None:
        return User.objects.none()
    people = User.objects.all()
    match = getattr(request, "resolver_match", None)
    partnership_pk = match.kwargs.get("partnership_pk") if match else None
    if partnership_pk:
        people = people.filter(memberships__partnership_id=partnership_pk)
    return people.distinct()


class RiskFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    category = django_filters.ChoiceFilter(choices=Risk.Category.choices,
                                           empty_label="Any category")
    status = django_filters.ChoiceFilter(choices=Risk.Status.choices, empty_label="Any status")
    owner = django_filters.ModelChoiceFilter(queryset=_risk_owners, empty_label="Anyone")
    min_score = django_filters.NumberFilter(field_name="risk_score", lookup_expr="gte",
                                            label="Score at least", min_value=1, max_value=25)
    likelihood = django_filters.ChoiceFilter(choices=SCALE_CHOICES, empty_label="Any")
    impact = django_filters.ChoiceFilter(choices=SCALE_CHOICES, empty_label="Any")
    ordering = OrderingFilter(
        fields=(("risk_score", "score"), ("title", "title"), ("category", "category"),
                ("review_date", "review"), ("status", "status")),
    )

    class Meta:
        model = Risk
        fields = ["q", "category", "status", "owner", "min_score", "likelihood", "impact"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value)
                               | Q(mitigation__icontains=value))
