"""Batches (lots) and their disposition: models, services, selectors, forms, filters, views,
urls, api and admin of their own, in the quality topic (its urls, api routes and admin
include them; governance/models.py imports the models)."""


def register() -> None:
    """Lots in global search and recent activity (portal.registries), and the news a party
    must act on (a lot to review, a lot awaiting disposition)."""
    from django.urls import reverse

    from governance.quality.batches.models import Batch
    from portal.registries import activity, notification_kinds, search

    search.register("Batches", noun="batches", model=Batch,
                    records=lambda user: Batch.objects.visible_to(user).select_related(
                        "program", "site"),
                    snippet_fields=("cdmo_review_note", "sponsor_review_note"),
                    names=("lot_number",))
    activity.register("Batch", records=Batch.objects.visible_to, label="lot_number",
                      url=lambda partnership_id, pk: reverse(
                          "governance:batch_detail", args=[partnership_id, pk]))
    notification_kinds.register("batch_review", "A lot's batch record awaits my party's "
                                                "review", position=166)
    notification_kinds.register("batch_disposition", "A lot awaits the sponsor's disposition, "
                                                      "or is disposed of", position=169)
