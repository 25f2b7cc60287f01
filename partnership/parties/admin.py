"""Django admin of the parties, for operators (DESIGN §6): they see everything, so only
staff get in."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError

from partnership.accounts import services as accounts
from partnership.parties import services
from partnership.parties.models import (
    InvitationNotice,
    Membership,
    Organization,
    OrganizationDomain,
    Partnership,
    Site,
    User,
    normalize_domain,
)
from portal.admin import ReadOnlyInline


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
    readonly_fields = ["two_factor_enabled"]
    actions = ["deactivate", "unlock", "reset_two_factor"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if obj is None else [*fieldsets, ("Sign-in", {
            "fields": ["two_factor_enabled"]})]

    def save_model(self, request, obj, form, change):
        """Unticking "active" deactivates through the service: it ends the person's
        sessions and API tokens at once, which saving the flag alone would not."""
        deactivated = change and "is_active" in form.changed_data and not obj.is_active
        if deactivated:
            obj.is_active = True  # the service makes the change, and what goes with it
        super().save_model(request, obj, form, change)
        if deactivated:
            accounts.user_deactivate(actor=request.user, user=obj)
            obj.refresh_from_db()

    @admin.action(description="Deactivate (ends their sessions and API tokens)")
    def deactivate(self, request, queryset):
        self._each(request, queryset, accounts.user_deactivate, "deactivated")

    @admin.action(description="Unlock log-in after failed attempts")
    def unlock(self, request, queryset):
        self._each(request, queryset, accounts.user_unlock, "unlocked")

    @admin.action(description="Reset two-factor (lost phone)")
    def reset_two_factor(self, request, queryset):
        self._each(request, queryset, accounts.two_factor_reset, "reset")

    def _each(self, request, queryset, service, done: str) -> None:
        for person in queryset:
            try:
                service(actor=request.user, user=person)
            except (PermissionDenied, ValidationError) as error:
                reason = " ".join(getattr(error, "messages", None) or [str(error)])
                self.message_user(request, f"{person}: {reason}", level=messages.ERROR)
            else:
                self.message_user(request, f"{person}: {done}.")


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

