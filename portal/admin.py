"""Django admin plumbing every app uses: the read-only admins."""

from django.contrib import admin


class NoWrites:
    """No add, change or delete, for every user (superusers included)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoWrites, admin.ModelAdmin):
    """Operators read here. Every record of a partnership is written only through its
    service, which checks seats, roles, workflows and which party may change which field
    (an operator is of neither party), and tells the people concerned; nor is it deleted
    here: they are GMP records. The jobs' reminder and invitation rows are their unique
    keys: one edited or deleted by hand would make a job remind someone twice.
    tests/portal/test_admin.py fails on an editable admin of a partnership's record."""


class ReadOnlyInline(NoWrites, admin.TabularInline):
    """The rows of a record shown on its admin page, read-only like it."""

    extra = 0
