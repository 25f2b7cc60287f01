"""The load test's people (Locust; `make load`, partnership/management/commands/loadtest.py):
each logs in as a different person of the data set and walks what such a person does in a
day — the start page, the bell, My work, a partnership's home, its actions and requests, a
record and its discussion, search, the API — and writes: a comment and a new action.

The people come from the JSON file named by LOAD_PEOPLE (written by the loadtest command
from the database: email, the partnerships they may write in, their own id); the password
from LOAD_PASSWORD. Requests are named by their route ("/p/[id]/actions/"), so Locust's
figures add up per page rather than per record.

It lives in tests/, outside the packages the portal imports: importing Locust patches the
whole process for gevent (a test that imports every module of the portal would patch its
pytest worker).
"""

import datetime
import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

PEOPLE = json.loads(open(os.environ["LOAD_PEOPLE"]).read()) if "LOAD_PEOPLE" in os.environ \
    else []
PASSWORD = os.environ.get("LOAD_PASSWORD", "lockstep-demo")
_next_person = itertools.count()
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ACTION_LINK = re.compile(r'href="/p/\d+/actions/(\d+)/"')
REQUEST_LINK = re.compile(r'href="/p/\d+/requests/(\d+)/"')
WORDS = ["batch", "CoA", "audit", "stability"]


#: Seconds between two steps of a person (as one reads a page before the next); the test of
#: the load test sets LOAD_WAIT_SECONDS=0 to walk every step in a few seconds.
WAIT = float(os.environ.get("LOAD_WAIT_SECONDS", "1"))


class Person(HttpUser):
    """One person of the data set, a new one for each Locust user."""

    wait_time = between(WAIT, WAIT * 4)

    def on_start(self):
        self.person = PEOPLE[next(_next_person) % len(PEOPLE)]
        self.random = random.Random(self.person["email"])
        self.partnership = self.random.choice(self.person["partnerships"])
        page = self.client.get("/account/login/", name="/account/login/")
        token = CSRF_INPUT.search(page.text).group(1)
        with self.client.post("/account/login/", name="/account/login/ (post)",
                              data={"csrfmiddlewaretoken": token,
                                    "username": self.person["email"],
                                    "password": PASSWORD},
                              catch_response=True) as answer:
            if "/account/login/" in answer.url:
                answer.failure(f"log-in refused for {self.person['email']}")

    def _page(self, path: str, name: str):
        return self.client.get(path, name=name)

    @task
    def day(self):
        """One round of a person's day, step by step, a pause between steps: the start page,
        the bell (open pages poll it), My work, a partnership's home, its open actions by
        due date and one of them, its requests, one request and its discussion, search, a
        page of the API — and, for people who write there, a new action right after the home
        and a comment in the request's discussion (early in the day, so that a short run on a
        busy machine still writes)."""
        self.partnership = self.random.choice(self.person["partnerships"])
        home = f"/p/{self.partnership}/"
        steps = [
            lambda: self._page("/", "/"),
            lambda: self._page("/notifications/bell/", "/notifications/bell/"),
            lambda: self._page("/my-work/", "/my-work/"),
            lambda: self._page(home, "/p/[id]/"),
            lambda: self._new_action(home) if self.person["writes"] else None,
            lambda: self._one_of(f"{home}actions/?status=open&ordering=due_date",
                                 "/p/[id]/actions/?status=open&ordering=due_date",
                                 ACTION_LINK, f"{home}actions/", "/p/[id]/actions/[id]/"),
            lambda: self._page("/notifications/bell/", "/notifications/bell/"),
            lambda: self._request_and_thread(home),
            lambda: self._page(f"/search/?q={self.random.choice(WORDS)}", "/search/?q=[word]"),
            lambda: self._page(f"/api/v1/action-items/?partnership={self.partnership}",
                               "/api/v1/action-items/?partnership=[id]"),
        ]
        for step in steps:
            step()
            self.wait()

    def _one_of(self, path: str, name: str, links: re.Pattern, base: str, detail: str):
        """A list, then one of the records it links to (its id if any)."""
        found = links.findall(self._page(path, name).text)
        if found:
            pk = self.random.choice(found)
            self._page(f"{base}{pk}/", detail)
            return pk
        return None

    def _request_and_thread(self, home: str):
        pk = self._one_of(f"{home}requests/", "/p/[id]/requests/", REQUEST_LINK,
                          f"{home}requests/", "/p/[id]/requests/[id]/")
        if pk is None:
            return
        thread = f"{home}discussion/request/{pk}/"
        form = self._page(thread, "/p/[id]/discussion/request/[id]/")
        token = CSRF_INPUT.search(form.text)
        if not self.person["writes"] or token is None:
            return
        self.wait()
        with self.client.post(thread, name="/p/[id]/discussion/request/[id]/ (post)",
                              data={"csrfmiddlewaretoken": token.group(1),
                                    "body": "Agreed; we will follow up on Monday."},
                              catch_response=True) as answer:
            if answer.status_code >= 400:
                answer.failure(f"comment refused: {answer.status_code}")

    def _new_action(self, home: str):
        form = self._page(f"{home}actions/new/", "/p/[id]/actions/new/")
        token = CSRF_INPUT.search(form.text)
        if token is None:
            return
        self.wait()
        due = datetime.date.today() + datetime.timedelta(days=self.random.randint(3, 60))
        with self.client.post(
                f"{home}actions/new/", name="/p/[id]/actions/new/ (post)",
                data={"csrfmiddlewaretoken": token.group(1),
                      "title": f"Check the batch record of lot {self.random.randint(1, 999)}",
                      "description": "Raised during the load test.",
                      "owner": self.person["id"], "due_date": due.isoformat(),
                      "priority": "medium"},
                catch_response=True) as answer:
            if not re.search(r"/p/\d+/actions/\d+/", answer.url or ""):
                answer.failure("the new action was not saved")
