"""Figures of the sponsor portfolio's pages on a seed_scale set (docs/performance.md). Not
a test.

Opens each page as the benchmark's lead (metrics.bench.plan) through Django's test Client,
with the production settings: the median wall time, the process's own time and the
queries' time (each its minimum), the bytes and the queries. It writes nothing, so it may
run on the benchmark's own database: every connection is read-only, the session lives in a
signed cookie made by hand (logging in writes), and nothing else is touched:

    DATABASE_URL=postgres://…/lockstep_bench .venv/bin/python manage.py shell -c \\
        "from tests.perf import measure_portfolio; measure_portfolio.main()"
"""

import statistics
import time

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from metrics.bench import plan
from metrics.kpis.models import KPIDefinition
from partnership.models import User
from portal.middleware import SessionMiddleware


def read_only(sender, connection, **kwargs) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET default_transaction_read_only = on")


def client_of(user: User) -> Client:
    """A client whose session is `user`'s, in a signed cookie: no row written."""
    session = SessionStore()
    session.update({SESSION_KEY: str(user.pk), HASH_SESSION_KEY: user.get_session_auth_hash(),
                    BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[-1]})
    SessionMiddleware.logged_in(sender=None, request=type("Request", (), {
        "session": session})(), user=user)
    session.save()
    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


def measure(client: Client, url: str, rounds: int) -> str:
    times, own, sql = [], [], []
    for number in range(rounds + 2):  # the first two fill the caches
        with CaptureQueriesContext(connection) as queries:
            start, start_own = time.perf_counter(), time.process_time()
            response = client.get(url, secure=True)
            elapsed, elapsed_own = time.perf_counter() - start, time.process_time() - start_own
        if number >= 2:
            times.append(elapsed * 1000)
            own.append(elapsed_own * 1000)
            sql.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
    return (f"{response.status_code} median {statistics.median(times):7.1f} ms, Python "
            f"{min(own):6.1f}, SQL {min(sql):6.1f}, {len(response.content):>9,} bytes, "
            f"{len(queries.captured_queries)} queries")


def main(rounds: int = 15) -> None:
    connection_created.connect(read_only)
    connection.close()
    lead = User.objects.get(email=plan().cast["lead"])
    key = (KPIDefinition.objects.filter(status=KPIDefinition.Status.AGREED,
                                        partnership__sponsor=lead.organization)
           .values("key").annotate(n=Count("pk")).order_by("-n", "key").first()["key"])
    ranking = reverse("metrics:portfolio_kpi", args=[key])
    pages = [("floor", reverse("floor")), ("portfolio", reverse("metrics:portfolio")),
             ("KPI ranking", ranking), ("KPI ranking, page 3", f"{ranking}?page=3"),
             ("partners", reverse("metrics:portfolio_partners")),
             ("API portfolio", "/api/v1/portfolio/")]
    with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies"):
        client = client_of(lead)
        print(f"{lead.email}, {rounds} rounds")
        for label, url in pages:
            print(f"{label:20} {measure(client, url, rounds)}")
