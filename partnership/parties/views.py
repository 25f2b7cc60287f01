"""Pages of the parties: my partnerships, the partnership home and its settings, people,
sites, the organization admin page and the profile."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import ListView, TemplateView

from partnership.accounts.selectors import account_security, locked_emails
from partnership.contracts.selectors import contract_alerts, program_list, site_alerts
from partnership.objectives.selectors import objective_list, priorities
from partnership.parties import selectors, services
from partnership.parties.filters import MembershipFilter, SiteFilter
from partnership.parties.forms import (
    InviteForm,
    MembershipForm,
    MembershipRoleForm,
    PartnershipSettingsForm,
    ProfileForm,
    SiteStatusForm,
)
from partnership.parties.models import Membership
from partnership.permissions import can, require
from partnership.scoping_views import PartnershipMixin
from portal.registries import cockpit
from portal.views import FilteredListView, HtmxPartialMixin, ServiceFormView

#: Partnerships per page of "My partnerships", and the most the switcher's search offers.
PARTNERSHIPS_PAGE = 30
PARTNERSHIP_SUGGESTIONS = 20


def _partnership_query(request) -> str:
    return request.GET.get("q", "").replace("\x00", "").strip()[:100]


class PartnershipListView(LoginRequiredMixin, HtmxPartialMixin, TemplateView):
    """All the user's partnerships by name, PARTNERSHIPS_PAGE a page, searchable by either
    party's name (?q=): the top bar's switcher lists only a few. An htmx request (typing in
    the box, a page link) gets the `results` partial."""

    template_name = "partnership/partnership_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = _partnership_query(self.request)
        partnerships = selectors.partnership_list(user=self.request.user, query=query)
        page = Paginator(partnerships, PARTNERSHIPS_PAGE).get_page(self.request.GET.get("page"))
        context.update(page_obj=page, partnerships=page.object_list, query=query)
        context["can_manage_people"] = can(self.request.user, "partnership.people_manage")
        return context


class PartnershipSuggestionsView(LoginRequiredMixin, TemplateView):
    """GET ?q=… from the switcher's search box as the person types (htmx): at most
    PARTNERSHIP_SUGGESTIONS of the user's partnerships whose sponsor's or CDMO's name holds
    it, and a link to all of them. Without JavaScript the box submits to the list page."""

    template_name = "partnership/partnership_suggestions.html"

    def get_context_data(self, **kwargs):
        query = _partnership_query(self.request)
        found = list(selectors.partnership_list(user=self.request.user, query=query)
                     .defer("description")[:PARTNERSHIP_SUGGESTIONS + 1]) if query else []
        return super().get_context_data(
            query=query, partnerships=found[:PARTNERSHIP_SUGGESTIONS],
            more=len(found) > PARTNERSHIP_SUGGESTIONS, **kwargs)


class PartnershipDetailView(PartnershipMixin, TemplateView):
    """The partnership home: both parties, their sites with local time, programs, members,
    and the cockpit cards other apps contribute through portal.registries.cockpit (this app may not
    import them)."""

    template_name = "partnership/partnership_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, partnership = self.request.user, self.partnership
        context["sites"] = selectors.partnership_site_rows(user=user, partnership=partnership)
        context["programs"] = program_list(user=user, partnership=partnership)
        # The People card groups the seats by the person's organization (its id): the two
        # organizations are the partnership's, read with it.
        context["memberships"] = selectors.membership_list(
            user=user, partnership=partnership).select_related(None).select_related("user")
        context.update(contract_alerts(user=user, partnership=partnership))
        context.update(priorities(user=user, partnership=partnership))
        context["site_alerts"] = site_alerts(user=user, partnership=partnership)
        context["objectives"] = objective_list(user=user, partnership=partnership)[:5]
        context["cockpit"] = cockpit.cards(user=user, partnership=partnership)
        return context


class MembershipListView(PartnershipMixin, FilteredListView):
    template_name = "partnership/membership_list.html"
    filterset_class = MembershipFilter

    def get_base_queryset(self):
        return selectors.membership_list(user=self.request.user, partnership=self.partnership)


class SiteListView(LoginRequiredMixin, FilteredListView):
    template_name = "partnership/site_list.html"
    filterset_class = SiteFilter

    def get_base_queryset(self):
        return selectors.site_list(user=self.request.user)


class SiteDetailView(LoginRequiredMixin, ServiceFormView):
    """A site, and for its organization's admins the form to mark it closing or closed."""

    template_name = "partnership/site_detail.html"
    form_class = SiteStatusForm

    @cached_property
    def object(self):
        return selectors.site_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_record(self):
        return self.object

    @cached_property
    def can_edit_status(self) -> bool:
        return can(self.request.user, "partnership.site_status_change", self.object)

    def get_template_names(self):
        if not self.can_edit_status:  # no form for them, so never the form partial either
            return [self.template_name]
        return super().get_template_names()

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object,
                                        can_edit_status=self.can_edit_status, **kwargs)

    def perform(self, form):
        return services.site_set_status(actor=self.request.user, site=self.object,
                                        status=form.cleaned_data["status"],
                                        status_date=form.cleaned_data["status_date"])

    def get_success_url(self):
        messages.success(self.request, f"{self.object.name} is now "
                                       f"{self.object.get_status_display().lower()}.")
        return reverse("partnership:site_detail", args=[self.object.pk])


class OrgAdminMixin(LoginRequiredMixin):
    """Pages of the organization admin: 403 for anyone else (nothing of a tenant is named)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require(request.user, "partnership.people_manage")
        return super().dispatch(request, *args, **kwargs)


class OrganizationView(OrgAdminMixin, TemplateView):
    template_name = "partnership/organization.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        admin = self.request.user
        context["organization"] = admin.organization
        context["people"] = selectors.organization_people(admin=admin)
        context["partnerships"] = selectors.organization_partnerships(admin=admin)
        context["domains"] = selectors.organization_domains(admin=admin)
        context["membership_form"] = _membership_form(admin)
        context["locked"] = locked_emails(emails=[person.email for person in context["people"]])
        return context


class OrganizationPeopleView(OrgAdminMixin, HtmxPartialMixin, ListView):
    """The admin's colleagues, a page at a time, each with their seats (partnership and role)
    and when they last signed in; each seat's role can be changed from here."""

    template_name = "partnership/organization_people.html"
    paginate_by = 25

    def get_queryset(self):
        return selectors.organization_people(admin=self.request.user)


def _membership_form(admin, data=None):
    return MembershipForm(
        data,
        people=selectors.organization_people(admin=admin),
        partnerships=selectors.organization_partnerships(admin=admin),
    )


class UserInviteView(OrgAdminMixin, ServiceFormView):
    form_class = InviteForm
    template_name = "partnership/user_invite.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(),
                "domains": selectors.organization_domains(admin=self.request.user)}

    def perform(self, form):
        """The same answer whether or not the address has an account (see the service):
        the message names the address as typed, not anything read back from the database."""
        services.user_invite(actor=self.request.user, **form.cleaned_data)
        self.email = form.cleaned_data["email"].strip().lower()

    def get_success_url(self):
        messages.success(self.request, f"Invitation sent to {self.email}.")
        return reverse("partnership:organization_detail")


class MembershipCreateView(OrgAdminMixin, ServiceFormView):
    template_name = "partnership/membership_form.html"

    def get_form(self, form_class=None):
        return _membership_form(self.request.user, self.request.POST or None)

    def perform(self, form):
        return services.membership_set(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"{self.object.user} is now "
                                       f"{self.object.get_role_display().lower()} in "
                                       f"{self.object.partnership}.")
        return reverse("partnership:organization_detail")


class MembershipRoleView(OrgAdminMixin, ServiceFormView):
    """A colleague's role in one of their seats. Another organization's seat answers 404,
    as a missing one does."""

    template_name = "partnership/membership_role_form.html"
    form_class = MembershipRoleForm

    @cached_property
    def membership(self):
        return get_object_or_404(selectors.organization_memberships(admin=self.request.user),
                                 pk=self.kwargs["pk"])

    def get_initial(self):
        return {"role": self.membership.role}

    def get_context_data(self, **kwargs):
        seat = self.membership
        return super().get_context_data(
            membership=seat, dialog_title=f"Role of {seat.user} in {seat.partnership}",
            **kwargs)

    def perform(self, form):
        return services.membership_role_change(actor=self.request.user,
                                               membership=self.membership,
                                               role=form.cleaned_data["role"])

    def get_success_url(self):
        messages.success(self.request, f"Role of {self.object.user} in "
                                       f"{self.object.partnership} is now "
                                       f"{Membership.role_label(self.object.role)}.")
        return reverse("partnership:organization_people")


class MembershipDeleteView(OrgAdminMixin, TemplateView):
    """GET asks for confirmation; POST removes the seat."""

    template_name = "partnership/membership_confirm_delete.html"

    def get_membership(self):
        return get_object_or_404(selectors.organization_memberships(admin=self.request.user),
                                 pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(membership=self.get_membership(), **kwargs)

    def post(self, request, *args, **kwargs):
        membership = self.get_membership()
        try:
            services.membership_remove(actor=request.user, membership=membership)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(
                refused=" ".join(error.messages)), status=400)
        messages.success(request, f"{membership.user} removed from {membership.partnership}.")
        return redirect("partnership:organization_detail")


class ProfileView(LoginRequiredMixin, ServiceFormView):
    form_class = ProfileForm
    template_name = "partnership/profile.html"

    def get_record(self):
        return self.request.user

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(account_security(request=self.request))
        return context

    def perform(self, form):
        return services.profile_update(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, "Profile saved.")
        return reverse("partnership:profile")


class PartnershipSettingsView(PartnershipMixin, ServiceFormView):
    """Settings both parties share: the early-warning thresholds of negotiation, the time
    to acknowledge a formal request and each party's monthly emergency budget."""

    template_name = "partnership/partnership_settings.html"
    form_class = PartnershipSettingsForm

    def get_record(self):
        return self.partnership

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_change=can(
            self.request.user, "partnership.partnership_settings_change", self.partnership),
            **kwargs)

    def perform(self, form):
        return services.partnership_thresholds_set(
            actor=self.request.user, partnership=self.partnership, **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, "Settings saved.")
        return reverse("partnership:partnership_settings", args=[self.partnership.pk])
