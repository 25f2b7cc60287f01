"""Formal requests from one party to the other: the workflow (acknowledge, query, fulfil,
accept …), emergency budgets, relays between partnerships and the late-acknowledgement
job."""


def register() -> None:
    """Requests in global search, recent activity and "Coming up" (portal.registries)."""
    from django.urls import reverse

    from governance.requests.models import Request
    from governance.requests.selectors import requests_coming_up
    from partnership.search import number_typed
    from portal.registries import activity, coming_up, search

    search.register("Requests", noun="requests", model=Request, records=Request.objects.visible_to,
                    snippet_fields=("description", "question", "answer", "fulfilment_note"),
                    names=("title",), exact=number_typed(Request.NUMBER_PREFIX))
    activity.register("Request", records=Request.objects.visible_to, label="title",
                      url=lambda partnership_id, pk: reverse(
                          "governance:request_detail", args=[partnership_id, pk]))
    coming_up.register("request", provider=requests_coming_up,
                       template="governance/request_coming_up.html")
