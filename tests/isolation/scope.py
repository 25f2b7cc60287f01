"""How the generic suite works out who should see what, and reads what a response holds.

Who sits where is worked out from seats and admin rights, independently of visible_to(), so
the suite does not grade the scoping rule with itself.
"""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.models import Membership, Partnership, Program

# The people whose view of the world the suite checks: a CDMO member who must not see the
# CDMO's other sponsor, a sponsor lead, the competitor, and the CDMO's admin.
OBSERVERS = ["bob", "alice", "dave", "olga"]

# A write inside the audit trail's context comes after the statement that sets it
# (partnership.history.context): SELECT set_config('pghistory.context_id', …); INSERT …
WRITE = re.compile(r"^\s*(SELECT set_config\('pghistory\..*?, true\);\s*)?"
                   r"(INSERT|UPDATE|DELETE|TRUNCATE|ALTER|CREATE|DROP)\b",
                   re.IGNORECASE | re.DOTALL)
SESSION = re.compile(r'"django_session"')  # the idle timeout refreshes the session


def seat_partnerships(user) -> list[Partnership]:
    """The user's partnerships worked out from seats and admin rights."""
    seats = set(Membership.objects.filter(user=user).values_list("partnership_id", flat=True))
    return [p for p in Partnership.objects.order_by("pk") if p.pk in seats or (
        user.is_org_admin and user.organization_id in (p.sponsor_id, p.cdmo_id))]


def foreign_partnerships(user) -> list[Partnership]:
    own = {p.pk for p in seat_partnerships(user)}
    return [p for p in Partnership.objects.select_related("sponsor", "cdmo").order_by("pk")
            if p.pk not in own]


def shared_organization_ids(user) -> set[int]:
    ids = {user.organization_id}
    for p in seat_partnerships(user):
        ids |= {p.sponsor_id, p.cdmo_id}
    return ids


def foreign_names(user) -> list[str]:
    """Names the user must never meet: programs, people and organizations reachable only
    through partnerships foreign to them (worked out from seats, not from visible_to)."""
    shared_orgs = shared_organization_ids(user)
    foreign = foreign_partnerships(user)
    names = list(Program.objects.filter(partnership__in=foreign).values_list("name", flat=True))
    names += [org.name for p in foreign for org in (p.sponsor, p.cdmo)
              if org.pk not in shared_orgs]
    names += [m.user.get_full_name() for m in Membership.objects.filter(partnership__in=foreign)
              .select_related("user") if m.user.organization_id not in shared_orgs]
    return names


#: Small pages, so that even the small test world spreads its lists over several of them and
#: every walk really follows `next`.
PAGE_SIZE = 3


def every_page(client, url: str, params: dict | None = None) -> list:
    """Every page of an API list, following `next` (the API caps a page at 200 rows:
    reading page one only would miss the rest). Checks the walk met `count` rows."""
    response = client.get(url, {**(params or {}), "page_size": PAGE_SIZE})
    assert response.status_code == 200, f"{url}: {response.status_code}"
    pages = [response]
    while response.json()["next"]:
        next_url = response.json()["next"]
        response = client.get(next_url)
        assert response.status_code == 200, f"{next_url}: {response.status_code}"
        pages.append(response)
    walked = sum(len(page.json()["results"]) for page in pages)
    assert walked == pages[0].json()["count"], f"{url}: walked {walked} rows of " \
                                              f"{pages[0].json()['count']}"
    return pages


def every_row(client, url: str, params: dict | None = None) -> list[dict]:
    return [row for page in every_page(client, url, params) for row in page.json()["results"]]


def writes_during(call) -> tuple[object, list[str]]:
    """Run `call()`; return its result and the SQL statements that changed data on the way
    (the session's own refresh aside)."""
    with CaptureQueriesContext(connection) as queries:
        result = call()
    return result, [q["sql"] for q in queries.captured_queries
                    if WRITE.match(q["sql"]) and not SESSION.search(q["sql"])]


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content
