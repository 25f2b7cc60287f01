"""Django admin of notices, thank-yous and the survey, for operators: read-only."""

from django.contrib import admin

from governance.relationship.models import Notice, Recognition, SurveyInvitation, SurveyResponse
from portal.admin import ReadOnlyAdmin


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "partnership", "kind", "author_organization", "created_at",
                    "acknowledged_at"]
    list_filter = ["kind"]
    list_select_related = ["author_organization", "partnership__sponsor", "partnership__cdmo"]
    search_fields = ["title"]
    readonly_fields = ["acknowledged_by", "acknowledged_at"]


@admin.register(Recognition)
class RecognitionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "partnership", "author_organization", "team", "created_at"]
    list_select_related = ["author_organization", "partnership__sponsor", "partnership__cdmo"]
    filter_horizontal = ["recipients"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyAdmin):
    """Answers come only from the people themselves, through the survey."""

    list_display = ["partnership", "quarter", "rated_party", "submitted_at"]
    list_filter = ["quarter", "rated_party"]
    list_select_related = ["partnership__sponsor", "partnership__cdmo"]


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(ReadOnlyAdmin):
    list_display = ["partnership", "quarter", "user", "created_at"]
    list_filter = ["quarter"]
    list_select_related = ["user", "partnership__sponsor", "partnership__cdmo"]
