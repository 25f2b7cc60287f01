"""Filter bars of the governance pages and API (django-filter); kept in the URL."""

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from governance.models import ActionItem, Decision, Meeting, Notice, Request, Risk
from governance.selectors import (
    COMING_UP_DAYS,
    notices_awaiting,
    requests_awaiting,
    requests_due_soon,
    requests_overdue,
)
from partnership.models import User
from portal.filters import ScopedFilterSet


def _meetings_with_actions(request):
    """The meetings an action list can be narrowed to: the caller's, and only those that
    produced actions (a list of every weekly check-in would be unusable)."""
    if request is None:
        return Meeting.objects.none()
    meetings = Meeting.objects.visible_to(request.user).filter(
        pk__in=ActionItem.objects.visible_to(request.user).values("meeting_id"))
    match = getattr(request, "resolver_match", None)
    partnership_pk = match.kwargs.get("partnership_pk") if match else None
    if partnership_pk:
        meetings = meetings.filter(partnership_id=partnership_pk)
    return meetings.distinct().order_by("-starts_at")


class MeetingChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({timezone.localtime(obj.starts_at):%d %b %Y})"


class MeetingChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = MeetingChoiceField


class ActionItemFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=ActionItem.Status.choices,
                                         empty_label="Any status")
    priority = django_filters.ChoiceFilter(choices=ActionItem.Priority.choices,
                                           empty_label="Any priority")
    overdue = django_filters.BooleanFilter(method="by_overdue", label="Overdue only",
                                           widget=django_filters.widgets.BooleanWidget())
    meeting = MeetingChoiceFilter(queryset=_meetings_with_actions, label="From meeting",
                                  empty_label="Any meeting")
    ordering = django_filters.OrderingFilter(
        fields=(("due_date", "due"), ("title", "title"), ("priority", "priority"),
                ("status", "status")),
    )

    class Meta:
        model = ActionItem
        fields = ["q", "status", "priority", "overdue"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(owner__last_name__icontains=value)
                               | Q(owner__first_name__icontains=value))

    def by_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(due_date__lt=timezone.localdate()).exclude(
            status__in=ActionItem.CLOSED)


# --- Meetings and decisions ---------------------------------------

class MeetingFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    kind = django_filters.ChoiceFilter(choices=Meeting.Kind.choices, empty_label="Any kind")
    status = django_filters.ChoiceFilter(choices=Meeting.Status.choices,
                                         empty_label="Any status")
    when = django_filters.ChoiceFilter(
        method="by_when", label="When", empty_label="Past and upcoming",
        choices=[("upcoming", "Upcoming"), ("past", "Past")])
    ordering = django_filters.OrderingFilter(
        fields=(("starts_at", "starts"), ("title", "title"), ("kind", "kind"),
                ("status", "status")),
    )

    class Meta:
        model = Meeting
        fields = ["q", "kind", "status", "when"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(agenda__icontains=value)
                               | Q(minutes__icontains=value))

    def by_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(starts_at__gte=now)
        if value == "past":
            return queryset.filter(starts_at__lt=now).order_by("-starts_at", "-pk")
        return queryset


class DecisionFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    decided_after = django_filters.DateFilter(
        field_name="decided_on", lookup_expr="gte", label="Decided from",
        widget=forms.DateInput(attrs={"type": "date"}))
    decided_before = django_filters.DateFilter(
        field_name="decided_on", lookup_expr="lte", label="Decided until",
        widget=forms.DateInput(attrs={"type": "date"}))
    where = django_filters.ChoiceFilter(
        method="by_where", label="Where", empty_label="In or outside meetings",
        choices=[("meeting", "Taken in a meeting"), ("outside", "Outside meetings")])
    ordering = django_filters.OrderingFilter(
        fields=(("decided_on", "decided"), ("title", "title")),
    )

    class Meta:
        model = Decision
        fields = ["q", "decided_after", "decided_before", "where"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(rationale__icontains=value))

    def by_where(self, queryset, name, value):
        if value == "meeting":
            return queryset.filter(meeting__isnull=False)
        return queryset.filter(meeting__isnull=True) if value == "outside" else queryset


# --- Risks and notices --------------------------------------------------------------------

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
    ordering = django_filters.OrderingFilter(
        fields=(("risk_score", "score"), ("title", "title"), ("category", "category"),
                ("review_date", "review"), ("status", "status")),
    )

    class Meta:
        model = Risk
        fields = ["q", "category", "status", "owner", "min_score", "likelihood", "impact"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value)
                               | Q(mitigation__icontains=value))


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
    ordering = django_filters.OrderingFilter(
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


# --- Formal requests ------------------------------------------------------

def _rank(field: str, values) -> Case:
    """The position of `field`'s value in `values`: a sort key in the domain's order."""
    return Case(*(When(**{field: value}, then=Value(index)) for index, value in
                  enumerate(values)), default=Value(len(values)), output_field=IntegerField())


class RequestFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=Request.Status.choices,
                                         empty_label="Any status")
    kind = django_filters.ChoiceFilter(choices=Request.Kind.choices, empty_label="Any kind")
    urgency = django_filters.ChoiceFilter(choices=Request.Urgency.choices,
                                          empty_label="Any urgency")
    direction = django_filters.ChoiceFilter(
        method="by_direction", label="Direction", empty_label="Both directions",
        choices=[("sent", "Sent by us"), ("received", "Sent to us")])
    late = django_filters.BooleanFilter(method="by_late", label="Late only",
                                        widget=django_filters.widgets.BooleanWidget())
    over_budget = django_filters.BooleanFilter(
        field_name="over_emergency_budget", label="Over emergency budget",
        widget=django_filters.widgets.BooleanWidget())
    show = django_filters.ChoiceFilter(
        method="by_cockpit_card", label="Show", empty_label="All",
        choices=[("awaiting", "Awaiting me"), ("overdue", "Overdue"),
                 ("due_soon", f"Due in {COMING_UP_DAYS} days")])
    ordering = django_filters.OrderingFilter(
        fields=(("sent_at", "sent"), ("title", "title"), ("needed_by", "needed"),
                ("acknowledge_by", "acknowledge_by"), ("status_rank", "status"),
                ("urgency_rank", "urgency")),
    )

    class Meta:
        model = Request
        fields = ["q", "status", "kind", "urgency", "direction", "late", "over_budget"]

    def filter_queryset(self, queryset):
        """Urgency sorts by severity (normal, urgent, emergency) and status in the order of
        the workflow (sent … accepted, cancelled), not alphabetically."""
        return super().filter_queryset(queryset.annotate(
            urgency_rank=_rank("urgency", Request.Urgency.values),
            status_rank=_rank("status", Request.Status.values)))

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def by_direction(self, queryset, name, value):
        """Sent by us: written by the viewer's organization (the requester's)."""
        org = getattr(getattr(self.request, "user", None), "organization_id", None)
        if value == "sent":
            return queryset.filter(author_organization_id=org)
        if value == "received":
            return queryset.exclude(author_organization_id=org)
        return queryset

    def by_cockpit_card(self, queryset, name, value):
        """What the partnership home's cards list, for the cards' links to this list."""
        if value == "awaiting":
            return requests_awaiting(queryset, user=self.request.user)
        if value == "overdue":
            return requests_overdue(queryset)
        return requests_due_soon(queryset) if value == "due_soon" else queryset

    def by_late(self, queryset, name, value):
        return queryset.late() if value else queryset
