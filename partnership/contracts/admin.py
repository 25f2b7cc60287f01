"""Django admin of programs and contracts: read-only for operators (portal.admin)."""

from django.contrib import admin

from partnership.contracts.models import Contract, ContractDocument, NegotiationRound, Program
from portal.admin import ReadOnlyAdmin, ReadOnlyInline


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
    # Not the file itself: files have no URL, only the scoped download view (portal.storage).
    fields = readonly_fields = ["name", "size", "content_type", "sha256", "uploaded_by",
                                "uploaded_at"]


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "kind", "status", "partnership", "expiry_date"]
    list_filter = ["kind", "status"]
    list_select_related = ["partnership__sponsor", "partnership__cdmo"]
    search_fields = ["reference", "title"]
    inlines = [NegotiationRoundInline, ContractDocumentInline]

