"""The relationship itself: strategic notices for the other party to acknowledge,
recognition (thank-yous) and the quarterly feedback survey, whose answers nobody reads one
by one but their respondent."""


def register() -> None:
    """Notices and thank-yous in global search and recent activity (portal.registries)."""
    from django.urls import reverse

    from governance.relationship.models import Notice, Recognition
    from portal.registries import activity, search

    search.register("Notices", noun="notices", model=Notice, records=Notice.objects.visible_to,
                    snippet_fields=("body",), names=("title",))
    search.register("Recognition", noun="thank-yous", model=Recognition,
                    records=Recognition.objects.visible_to, snippet_fields=("message",))
    activity.register("Notice", records=Notice.objects.visible_to, label="title",
                      url=lambda partnership_id, pk: reverse(
                          "governance:notice_detail", args=[partnership_id, pk]))
    # Thank-yous have no page of their own: the line links to the partnership's list.
    activity.register("Thank-you", records=Recognition.objects.visible_to, label="message",
                      url=lambda partnership_id, pk: reverse(
                          "governance:recognition_list", args=[partnership_id]))
