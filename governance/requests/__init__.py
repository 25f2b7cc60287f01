"""Formal requests from one party to the other: the workflow (acknowledge, query, fulfil,
accept …), emergency budgets, relays between partnerships and the late-acknowledgement
job."""


def register() -> None:
    """Requests in global search, recent activity and "Coming up" (portal.registries)."""
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat, Greatest, Length, LPad
    from django.urls import reverse

    from governance.requests.models import Request
    from governance.requests.selectors import requests_coming_up
    from partnership.search import number_typed
    from portal.registries import activity, coming_up, search

    search.register("Requests", noun="requests", model=Request, records=Request.objects.visible_to,
                    snippet_fields=("description", "question", "answer", "fulfilment_note"),
                    names=("title",), exact=number_typed(Request.NUMBER_PREFIX))
    # "REQ-0042 · title", as Request.__str__ names it everywhere else: padded to at least
    # four digits (LPAD to 4 alone would cut REQ-12345 to REQ-1234, another request's name).
    digits = Cast("number", CharField())
    label = Concat(Value(f"{Request.NUMBER_PREFIX}-"),
                   LPad(digits, Greatest(Value(4), Length(digits)), Value("0")),
                   Value(" · "), "title", output_field=CharField())
    activity.register("Request", records=Request.objects.visible_to, label=label,
                      url=lambda partnership_id, pk: reverse(
                          "governance:request_detail", args=[partnership_id, pk]))
    coming_up.register("request", provider=requests_coming_up,
                       template="governance/request_coming_up.html")
