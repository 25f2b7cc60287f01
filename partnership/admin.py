"""Django admin for operators (DESIGN §6): they see everything, so only staff get in."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from partnership.models import Membership, Organization, Partnership, Program, Site, User


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


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "require_two_factor"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [SiteInline]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "city", "country", "time_zone", "status"]
    list_filter = ["status", "organization"]
    search_fields = ["name", "city", "country"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["__str__", "sponsor", "cdmo", "created_at"]
    list_select_related = ["sponsor", "cdmo"]
    inlines = [MembershipInline]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "partnership", "phase", "modality", "is_internal"]
    list_filter = ["phase", "modality", "is_internal"]
    list_select_related = ["partnership__sponsor", "partnership__cdmo"]
    search_fields = ["code", "name"]
