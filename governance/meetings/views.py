"""Pages of meetings and the decision log: lists, details (a meeting's time at each party's
main site, a decision's actions), schedule / record and edit dialogs, status buttons,
minutes with inline actions, and iCalendar downloads and feeds."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Case, F, Q, Value, When
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.views import View
from django.views.generic import TemplateView

from governance.actions.selectors import action_item_list
from governance.meetings import selectors, services
from governance.meetings.filters import DecisionFilter, MeetingFilter
from governance.meetings.forms import (
    DecisionForm,
    MeetingForm,
    MinutesActionFormSet,
    MinutesForm,
)
from governance.meetings.ical import ics_response
from governance.meetings.models import Decision, Meeting
from partnership.models import Membership
from partnership.parties.selectors import member_list
from partnership.scoping_views import PartnershipMixin
from partnership.signatures.selectors import signing_panel
from partnership.signatures.views import SignView
from portal.registries import meeting_sections, minutes_summary
from portal.validation import parse_id
from portal.views import FilteredListView, ServiceFormView, TransitionView


class MeetingMixin(PartnershipMixin):
    @cached_property
    def meeting(self) -> Meeting:
        return get_object_or_404(selectors.meeting_list(
            user=self.request.user, partnership=self.partnership), pk=self.kwargs["pk"])


class MeetingListView(PartnershipMixin, FilteredListView):
    template_name = "governance/meeting_list.html"
    filterset_class = MeetingFilter

    def get_base_queryset(self):
        """Soonest upcoming first, then the past from the most recent: what people open the
        page for (a sort link or the When filter overrides it)."""
        upcoming = Q(starts_at__gte=timezone.now())
        return selectors.meeting_list(user=self.request.user,
                                      partnership=self.partnership).order_by(
            Case(When(upcoming, then=Value(0)), default=Value(1)),
            Case(When(upcoming, then=F("starts_at"))).asc(), F("starts_at").desc(), "pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_create=self.can("governance.meeting_create", self.partnership), **kwargs)


def minutes_forms(view, data=None):
    """Owners of the actions are people who can act on them (ActionItem.clean); those of an
    internal meeting's actions are of the organization that wrote it, who alone see it."""
    meeting = view.meeting
    owners = member_list(user=view.request.user, partnership=view.partnership,
                         roles=Membership.WRITING_ROLES)
    if meeting.is_internal:
        owners = owners.filter(organization_id=meeting.author_organization_id)
    minutes = meeting.minutes
    if data is None and view.request.GET.get("kpi_summary"):
        # "Insert the KPI summary": the form opens with the published figures appended.
        inserted = minutes_summary.summary(user=view.request.user, meeting=meeting)
        minutes = "\n\n".join(part for part in (minutes, inserted) if part)
    return (MinutesForm(data, initial={"minutes": minutes},
                        approved=services.minutes_approved_once(meeting)),
            MinutesActionFormSet(data, prefix="actions", form_kwargs={"members": owners}))


class MeetingDetailView(MeetingMixin, TemplateView):
    template_name = "governance/meeting_detail.html"

    def get_context_data(self, **kwargs):
        meeting = self.meeting
        context = super().get_context_data(
            object=meeting, transitions=meeting.next_statuses(),
            can_transition=self.can("governance.meeting_transition", meeting),
            can_edit=self.can("governance.meeting_edit", meeting),
            can_record_decision=self.can("governance.decision_create", self.partnership),
            signing=signing_panel(user=self.request.user, record=meeting, sign_url=reverse(
                "governance:meeting_sign", args=[self.partnership.pk, meeting.pk])),
            **selectors.meeting_detail(meeting=meeting, user=self.request.user),
            sections=meeting_sections.sections(user=self.request.user, meeting=meeting),
            **kwargs)
        if "minutes_form" not in context and self.can("governance.meeting_minute",
                                                      meeting):
            context["minutes_form"], context["action_formset"] = minutes_forms(self)
            context["kpi_summary_offered"] = minutes_summary.available()
        return context


class MeetingMinutesView(MeetingDetailView):
    """POST the minutes and the actions decided in the meeting, all saved or none. Errors
    come back on the meeting page itself, next to the rows that caused them."""

    requires_write = True
    http_method_names = ["get", "post"]

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(self.meeting.get_absolute_url() + "#minutes")

    def post(self, request, *args, **kwargs):
        form, formset = minutes_forms(self, request.POST)
        if form.is_valid() and formset.is_valid():
            actions = [{name: row.cleaned_data[name] for name in services.MINUTES_ACTION_FIELDS}
                       for row in formset if row.has_changed() and not row.is_blank]
            try:
                services.meeting_record_minutes(actor=request.user, meeting=self.meeting,
                                                minutes=form.cleaned_data["minutes"],
                                                actions=actions,
                                                reason=form.cleaned_data.get("reason", ""))
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error.messages)
            else:
                count = len(actions)
                messages.success(request, "Minutes recorded" + (
                    f" with {count} action{'s' if count != 1 else ''}." if count else "."))
                return HttpResponseRedirect(self.meeting.get_absolute_url())
        return self.render_to_response(self.get_context_data(
            minutes_form=form, action_formset=formset), status=400)


class MeetingSignView(MeetingMixin, SignView):
    """Approving the minutes by signature."""

    def signed_record(self):
        return self.meeting


class MeetingFormMixin:
    form_class = MeetingForm
    template_name = "governance/meeting_form.html"
    requires_write = True

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(),
                "members": member_list(user=self.request.user, partnership=self.partnership)}

    def get_success_url(self):
        messages.success(self.request, f"Meeting “{self.object}” saved.")
        return self.object.get_absolute_url()


class MeetingCreateView(MeetingFormMixin, PartnershipMixin, ServiceFormView):
    def get_initial(self):
        return {"attendees": [self.request.user], "duration_minutes": 60}

    def perform(self, form):
        return services.meeting_create(actor=self.request.user, partnership=self.partnership,
                                       **form.cleaned_data)


class MeetingEditView(MeetingFormMixin, MeetingMixin, ServiceFormView):
    def get_record(self):
        return self.meeting

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.meeting, **kwargs)

    def perform(self, form):
        return services.meeting_update(actor=self.request.user, meeting=self.meeting,
                                       **form.cleaned_data)


class MeetingTransitionView(MeetingMixin, TransitionView):
    requires_write = True

    def get_record(self):
        return self.meeting

    def transition(self, record, status):
        return services.meeting_transition(actor=self.request.user, meeting=record,
                                           status=status)


class MeetingIcsView(MeetingMixin, View):
    """One meeting as an .ics file, to add to any calendar."""

    def get(self, request, *args, **kwargs):
        return ics_response([self.meeting], name=str(self.partnership),
                            filename=f"{slugify(self.meeting.title) or 'meeting'}.ics")


class PartnershipCalendarView(PartnershipMixin, View):
    """All meetings of one partnership as an .ics file."""

    def get(self, request, *args, **kwargs):
        meetings = selectors.meeting_list(user=request.user, partnership=self.partnership)
        return ics_response(meetings, name=str(self.partnership),
                            filename=f"{slugify(str(self.partnership)) or 'meetings'}.ics")


class CalendarFeedView(View):
    """A person's feed, for calendar apps that cannot log in: the secret in the URL is the
    key. An unknown or revoked secret answers 404 like any missing page."""

    def get(self, request, secret):
        found = selectors.calendar_feed_meetings(secret=secret)
        if found is None:
            raise Http404("No such calendar feed.")
        user, meetings = found
        return ics_response(meetings, name=f"Lockstep: {user}", filename="lockstep.ics",
                            feed=True)


class CalendarFeedCreateView(LoginRequiredMixin, View):
    """POST makes (or replaces) the user's feed URL; the old one stops working."""

    def post(self, request):
        services.calendar_feed_create(actor=request.user)
        messages.success(request, "New calendar feed URL created. The previous one, if any, "
                                  "no longer works.")
        return HttpResponseRedirect(reverse("partnership:profile") + "#calendar-h")


class CalendarFeedRevokeView(LoginRequiredMixin, View):
    def post(self, request):
        services.calendar_feed_revoke(actor=request.user)
        messages.success(request, "Calendar feed revoked.")
        return HttpResponseRedirect(reverse("partnership:profile") + "#calendar-h")


class DecisionMixin(PartnershipMixin):
    @cached_property
    def decision(self) -> Decision:
        return get_object_or_404(selectors.decision_list(
            user=self.request.user, partnership=self.partnership), pk=self.kwargs["pk"])


class DecisionListView(PartnershipMixin, FilteredListView):
    template_name = "governance/decision_list.html"
    filterset_class = DecisionFilter

    def get_base_queryset(self):
        return selectors.decision_list(user=self.request.user, partnership=self.partnership)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_create=self.can("governance.decision_create", self.partnership), **kwargs)


class DecisionDetailView(DecisionMixin, TemplateView):
    template_name = "governance/decision_detail.html"

    def get_context_data(self, **kwargs):
        actions = action_item_list(user=self.request.user, partnership=self.partnership
                                   ).filter(decision=self.decision)
        return super().get_context_data(
            object=self.decision, actions=actions,
            can_edit=self.can("governance.decision_edit", self.decision),
            can_add_action=self.can("governance.actionitem_create", self.partnership),
            **kwargs)


class DecisionFormMixin:
    form_class = DecisionForm
    template_name = "governance/decision_form.html"
    requires_write = True

    def get_form_kwargs(self):
        meetings = selectors.meeting_list(user=self.request.user,
                                          partnership=self.partnership).order_by("-starts_at")
        return {**super().get_form_kwargs(), "meetings": meetings,
                "members": member_list(user=self.request.user, partnership=self.partnership)}

    def get_success_url(self):
        messages.success(self.request, f"Decision “{self.object}” saved.")
        return self.object.get_absolute_url()


class DecisionCreateView(DecisionFormMixin, PartnershipMixin, ServiceFormView):
    def get_initial(self):
        """?meeting=<id> (from a meeting page) presets the meeting; the scoped choices
        reject a foreign one."""
        initial = {"decided_on": timezone.localdate(), "decided_by": [self.request.user]}
        if parse_id(self.request.GET.get("meeting")):
            initial["meeting"] = parse_id(self.request.GET["meeting"])
        return initial

    def perform(self, form):
        return services.decision_create(actor=self.request.user, partnership=self.partnership,
                                        **form.cleaned_data)


class DecisionEditView(DecisionFormMixin, DecisionMixin, ServiceFormView):
    def get_record(self):
        return self.decision

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.decision, **kwargs)

    def perform(self, form):
        return services.decision_update(actor=self.request.user, decision=self.decision,
                                        **form.cleaned_data)
