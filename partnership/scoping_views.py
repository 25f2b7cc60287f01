"""The view mixin and the API base viewset that apply the scoping rule (partnership.scoping).

The rule itself is `Model.objects.visible_to(user)`, which the selectors start from; pages
read through the selectors under PartnershipMixin, and API viewsets through the same
selectors (ScopedViewSet): a foreign object and a missing one both give 404, and a
partnership the user cannot see gives 404 on every page below it.
"""

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from rest_framework import viewsets
from rest_framework.permissions import SAFE_METHODS

from partnership.history.api import HistoryActionMixin
from partnership.history.context import BodyReason, annotate, without_nul
from partnership.history.reasons import needs_reason
from partnership.parties.models import Membership, Partnership
from partnership.permissions import can, require
from portal.validation import parse_id

#: The writer rule (partnership.permissions): what `requires_write` asks.
WRITE = "partnership.partnership_write"


class PartnershipMixin(LoginRequiredMixin):
    """For views under /p/<partnership_pk>/: sets self.partnership, or answers 404. The
    partnership holds the user's role, read once (Partnership.hold_role_of), for the rules
    the page asks about its buttons."""

    #: Views that change data set this; viewers and steering members get 403 there (the
    #: writer rule; a page's own rule, where it has one, is asked by its service).
    requires_write = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.partnership = get_object_or_404(
            Partnership.objects.visible_to(request.user).select_related("sponsor", "cdmo"),
            pk=kwargs["partnership_pk"],
        )
        self.role = self.partnership.hold_role_of(request.user)
        request.partnership_pk = self.partnership.pk  # the top bar's switcher lists it first
        if self.requires_write:
            require(request.user, WRITE, self.partnership)
        if request.method == "POST" and request.POST.get("reason", "").strip():
            # The reason for change a person gave (partnership.history.reasons).
            annotate(reason=without_nul(request.POST["reason"]).strip()[:500])
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        """On the form of a record whose change needs a reason (executed, accepted,
        signed …), a required Reason field; the reason goes to the record's history."""
        form = super().get_form(form_class)
        record = getattr(form, "record", None)
        if record is not None and "reason" not in form.fields and needs_reason(record):
            form.reason_for_change = True
            form.fields["reason"] = forms.CharField(
                label="Reason for change", max_length=500, widget=forms.Textarea(
                    attrs={"rows": 2}),
                help_text="This record is approved, executed or signed: say why you change "
                          "it. The reason is kept in its history.")
        return form

    def form_valid(self, form):
        if getattr(form, "reason_for_change", False):
            form.cleaned_data.pop("reason", None)  # in the request's context already
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["partnership"] = self.partnership
        context["role"] = self.role
        context["role_label"] = Membership.role_label(self.role)
        context["can_write"] = self.can(WRITE, self.partnership)
        return context

    def can(self, name: str, obj=None) -> bool:
        """Whether the user may do `name` to `obj` (partnership.permissions): which buttons
        the page shows. The seat was read once, in dispatch()."""
        return can(self.request.user, name, obj)


class ScopedViewSet(HistoryActionMixin, viewsets.GenericViewSet):
    """Base of every API viewset (and the `history` of each record, where audited:
    partnership.history.api): its rows are what `selector` gives, the selector the
    records' list page reads (or, for records listed on no page of their own, the one their
    page reads them with), so that the API and the pages see the same rows with the same
    figures (annotations). It starts from the scoped queryset: foreign ids answer 404.

    `selector` is called `selector(user=…)`, and, for records of a partnership (a model
    with a `partnership` field), with `partnership=`: the id of `?partnership=<id>`, or None
    for all of the user's. That narrows a shared resource; it can only narrow, never widen.
    A viewset without a selector is refused when its class is made."""

    model = None
    selector = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.selector is None:
            raise TypeError(f"{cls.__name__} reads nothing: give it the `selector` its "
                            "records' page reads.")

    def initial(self, request, *args, **kwargs):
        """The `reason` of a change's body is its reason for change, kept in the history."""
        super().initial(request, *args, **kwargs)
        if request.method not in SAFE_METHODS:
            annotate(reason=BodyReason(request))

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # drf-spectacular describing the API needs only the model: the same document
            # whether or not it may read the database (a selector may, to build its query).
            return self.model._default_manager.none()
        selector = type(self).selector
        if hasattr(self.model, "partnership_id"):
            return selector(user=self.request.user, partnership=self.partnership_asked())
        return selector(user=self.request.user)

    def read_again(self, record):
        """`record` as the selector gives it, with the figures it annotates, after a service
        wrote it (the service returns the bare row); the row itself if no longer listed."""
        kwargs = {"partnership": record.partnership_id} \
            if hasattr(self.model, "partnership_id") else {}
        return type(self).selector(user=self.request.user, **kwargs).filter(
            pk=record.pk).first() or record

    def paginate_queryset(self, queryset):
        """The page's rows, with the caller's role in each of their partnerships read at
        once (Partnership.hold_roles_of) and whatever else `hold_for_page` reads for all of
        them: the rules and step lists a serializer asks per row then cost no query."""
        page = super().paginate_queryset(queryset)
        # Only a page of the viewset's own records (a record's `history` pages its events).
        rows = [row for row in page or () if isinstance(row, self.model or ())]
        if rows and hasattr(self.model, "partnership_id"):
            Partnership.hold_roles_of(self.request.user, {row.partnership_id for row in rows})
            self.hold_for_page(rows)
        return page

    def hold_for_page(self, rows: list) -> None:
        """Read, for a page of rows at once, what the serializer would read per row."""

    def partnership_asked(self) -> int | None:
        """The partnership `?partnership=<id>` narrows the list to, for records of one."""
        if not hasattr(self.model, "partnership_id"):
            return None
        return parse_id(self.request.query_params.get("partnership"))
