"""Django admin for operators (DESIGN §6): they see everything, so only staff get in."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from partnership import services
from partnership.models import (
    AcceptanceCriterion,
    CommunicationPlan,
    Contract,
    ContractDocument,
    Deliverable,
    DeliverableReview,
    EscalationLevel,
    InvitationNotice,
    Membership,
    Milestone,
    NegotiationRound,
    Objective,
    Organization,
    OrganizationDomain,
    Partnership,
    PointOfContact,
    PriorityChange,
    Program,
    Site,
    TechTransfer,
    User,
    normalize_domain,
)
from partnership.notifications import admin as notifications_admin  # noqa: F401 (registers)
from portal.admin import ReadOnlyAdmin, ReadOnlyInline


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "organization", "is_org_admin",
                    "is_active"]
    list_filter = ["organization", "is_org_admin", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "job_title", "organization",
                               "is_org_admin", "time_zone"]}),
        ("Platform", {"fields": ["is_active", "is_staff", "is_superuser", "last_login",
                                 "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "organization",
                                                             "password1", "password2"]})]


@admin.register(InvitationNotice)
class InvitationNoticeAdmin(admin.ModelAdmin):
    """Who invited an address that already had an account, and when: what operators look
    at when someone asks why they got that note. Written by the job only."""

    list_display = ["user", "invited_by", "day", "sent_at"]
    list_select_related = ["user", "invited_by"]
    search_fields = ["user__email", "invited_by__email"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0


class OrganizationDomainInline(admin.TabularInline):
    """Shown with the organization; added and removed on their own page (services)."""

    model = OrganizationDomain
    extra = 0
    can_delete = False
    fields = readonly_fields = ["domain", "added_by", "added_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [SiteInline, OrganizationDomainInline]


class OrganizationDomainForm(forms.ModelForm):
    class Meta:
        model = OrganizationDomain
        fields = ["organization", "domain"]

    def clean_domain(self) -> str:
        return normalize_domain(self.cleaned_data["domain"])


@admin.register(OrganizationDomain)
class OrganizationDomainAdmin(admin.ModelAdmin):
    """Operators vouch here that a domain is an organization's, having checked it (a DNS
    record, a call to someone known there): its admins may then invite addresses at it.
    Organization admins are not staff, so only operators get here. A domain is added or
    removed, never edited: moving it would hand its addresses to another organization."""

    form = OrganizationDomainForm
    list_display = ["domain", "organization", "added_by", "added_at"]
    list_select_related = ["organization", "added_by"]
    search_fields = ["domain", "organization__name"]
    autocomplete_fields = ["organization"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        row = services.organization_domain_add(actor=request.user,
                                               organization=obj.organization, domain=obj.domain)
        obj.pk, obj.added_by, obj.added_at = row.pk, row.added_by, row.added_at

    def delete_model(self, request, obj):
        services.organization_domain_remove(actor=request.user, domain=obj)

    def delete_queryset(self, request, queryset):
        for row in queryset:
            services.organization_domain_remove(actor=request.user, domain=row)


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "city", "country", "time_zone", "status"]
    list_filter = ["status", "organization"]
    search_fields = ["name", "city", "country"]


class MembershipInline(ReadOnlyInline):
    """Seats are given by organization admins (services.membership_set), which checks the
    person belongs to one of the two organizations and tells them."""

    model = Membership


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["__str__", "sponsor", "cdmo", "created_at"]
    list_select_related = ["sponsor", "cdmo"]
    inlines = [MembershipInline]


@admin.register(Program)
class ProgramAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "partnership", "phase", "modality", "is_internal"]
    list_filter = ["phase", "modality", "is_internal"]
    list_select_related = ["partnership__sponsor", "partnership__cdmo"]
    search_fields = ["code", "name"]


class NegotiationRoundInline(ReadOnlyInline):
    model = NegotiationRound


class ContractDocumentInline(ReadOnlyInline):
    model = ContractDocument
    readonly_fields = ["name", "size", "uploaded_by", "uploaded_at"]


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "kind", "status", "partnership", "expiry_date"]
    list_filter = ["kind", "status"]
    list_select_related = ["partnership__sponsor", "partnership__cdmo"]
    search_fields = ["reference", "title"]
    inlines = [NegotiationRoundInline, ContractDocumentInline]


class AcceptanceCriterionInline(ReadOnlyInline):
    model = AcceptanceCriterion


@admin.register(Deliverable)
class DeliverableAdmin(ReadOnlyAdmin):
    list_display = ["title", "sow", "status", "due_date", "rejection_count"]
    list_filter = ["status", "responsible_party"]
    search_fields = ["title"]
    inlines = [AcceptanceCriterionInline]


@admin.register(DeliverableReview)
class DeliverableReviewAdmin(ReadOnlyAdmin):
    list_display = ["deliverable", "decision", "reviewed_by", "reviewed_at"]
    list_filter = ["decision"]


@admin.register(Objective)
class ObjectiveAdmin(ReadOnlyAdmin):
    list_display = ["title", "partnership", "status", "review_date"]
    list_filter = ["status"]


class MilestoneInline(ReadOnlyInline):
    model = Milestone
    exclude = ["deliverables"]


@admin.register(TechTransfer)
class TechTransferAdmin(ReadOnlyAdmin):
    list_display = ["title", "program", "site", "partnership"]
    inlines = [MilestoneInline]


@admin.register(PointOfContact)
class PointOfContactAdmin(ReadOnlyAdmin):
    list_display = ["partnership", "party", "function", "primary", "backup"]
    list_filter = ["function", "party"]


@admin.register(CommunicationPlan)
class CommunicationPlanAdmin(ReadOnlyAdmin):
    list_display = ["partnership", "updated_at"]


@admin.register(EscalationLevel)
class EscalationLevelAdmin(ReadOnlyAdmin):
    list_display = ["partnership", "level", "name", "days_allowed"]


@admin.register(PriorityChange)
class PriorityChangeAdmin(ReadOnlyAdmin):
    """History is kept as written: operators read it, nobody edits it."""

    list_display = ["partnership", "changed_by", "changed_at"]
