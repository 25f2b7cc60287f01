"""The filter bar of notice lists (page and API); kept in the URL."""

import django_filters
from django.db.models import Q

from governance.relationship.models import Notice
from governance.relationship.selectors import notices_awaiting
from portal.filters import OrderingFilter, ScopedFilterSet


class NoticeFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    kind = django_filters.ChoiceFilter(choices=Notice.Kind.choices, empty_label="Any kind")
    awaiting = django_filters.ChoiceFilter(method="by_awaiting", label="Acknowledgement",
                                           choices=[("true", "Awaiting"),
                                                    ("false", "Acknowledged"),
                                                    ("us", "Awaiting us")],
                                           empty_label="Any")
    posted_by = django_filters.ChoiceFilter(method="by_poster", label="Posted by",
                                            choices=[("us", "Us"), ("them", "The other party")],
                                            empty_label="Either party")
    ordering = OrderingFilter(
        fields=(("created_at", "posted"), ("title", "title"), ("kind", "kind"),
                ("effective_date", "effective")),
    )

    class Meta:
        model = Notice
        fields = ["q", "kind", "awaiting", "posted_by"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(body__icontains=value))

    def by_awaiting(self, queryset, name, value):
        if value == "us":  # what the cockpit's "Awaiting me" card lists
            return queryset.filter(pk__in=notices_awaiting(user=self.request.user).values("pk"))
        return queryset.filter(acknowledged_at__isnull=value == "true")

    def by_poster(self, queryset, name, value):
        own = self.request.user.organization_id if self.request else None
        if value == "us":
            return queryset.filter(author_organization_id=own)
        if value == "them":
            return queryset.exclude(author_organization_id=own)
        return queryset
