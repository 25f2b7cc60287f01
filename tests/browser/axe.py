"""axe-core over every page the browser journeys visit: a serious or critical violation of
WCAG 2.1 A / AA fails the journey.

A journey's own pages are left alone while it runs (axe on a page the journey is clicking
through would race with it). Instead every context a journey opens is watched: each page of
the portal its main frame loads (a GET answered with HTML) is noted, with who was logged in
at the time (the context's cookies are taken when the journey clears them or closes the
context). After the journey has passed, each noted page is loaded again in a context of its
own with those cookies and the same window size, and axe-core (static/vendor, the version
pinned in AXE below) runs over it. A page is checked once a run for each window size, where
the same page means the same view with the same query parameters, whoever looks (a
request's detail page is one page whichever request it shows and whoever reads it: the
same template, the same markup; the first journey to reach it has it checked, in whichever
test worker it runs).

Dialogs too: a form htmx loads into the page's <dialog> (components/dialog_form.html) is
never a page of its own. A script every watched page runs tells the watch, as a dialog
opens (and as a refused form comes back into it with its error summary), the page it opened
on, the address it was loaded from and its markup as shown. After the journey each dialog
not checked yet (once a run per window size and per dialog: its view, the words in its
address such as a request's step, its query parameters, refused or not) is put
back into the `<dialog>` of a page loaded as its journey's person, opened, and axe-core runs
over the dialog alone: the markup the journey saw, whatever the record's state now. The
bell's preview (a menu htmx fills as it opens) is checked the same way.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

from tests.browser.login import settle

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core-4.14.1" / "axe.min.js"

#: What is checked: WCAG 2.0 / 2.1, levels A and AA. What fails: these impacts.
RUN_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                      "wcag21aa"]},
               "resultTypes": ["violations"]}
FAILING = {"serious", "critical"}

#: Pages checked so far in this process: (window size, view, query parameters); dialogs
#: with "dialog" in front.
_checked: set[tuple] = set()


def _first_to_check(key: tuple) -> bool:
    """Whether `key` is this run's to check here: not checked yet by this process nor, when
    the run has several (pytest-xdist), by another one: each claims a key with a file
    made only if it is not there yet, in a folder of the run."""
    if key in _checked:
        return False
    _checked.add(key)
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run:
        return True
    folder = Path(tempfile.gettempdir()) / f"lockstep-axe-{run}"
    folder.mkdir(exist_ok=True)
    claim = folder / hashlib.sha256(repr(key).encode()).hexdigest()
    try:
        os.close(os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True

#: Run by every page of a watched context: each dialog (and the bell's preview, the other
#: part only ever loaded on demand), as htmx has settled it, is told to the watch (the
#: binding below). No eval and no inline handler: the page's CSP is kept.
DIALOG_HOOK = """
document.addEventListener("htmx:afterSettle", (event) => {
  if (!window.__axeDialog || !event.detail.xhr) return;
  const holder = ["dialog-body", "bell-preview"].map((id) => document.getElementById(id))
    .find((box) => box && (box.contains(event.detail.elt) || box.contains(event.detail.target)));
  if (!holder || (holder.closest("dialog") && !holder.closest("dialog").open)) return;
  const path = (event.detail.pathInfo && event.detail.pathInfo.requestPath) ||
    event.detail.xhr.responseURL;
  window.__axeDialog(location.href, new URL(path, location.href).href, holder.innerHTML,
                     Boolean(holder.querySelector("[data-error-summary]")), holder.id);
});
"""

#: The dialog (or the bell's preview) put back and opened, axe run over it alone, closed
#: again.
RUN_IN_DIALOG = """async ([where, html, options]) => {
  const holder = document.getElementById(where);
  const dialog = holder.closest("dialog");
  const menu = holder.classList.contains("dropdown-menu");
  holder.innerHTML = html;
  if (dialog && !dialog.open) dialog.showModal();
  if (menu) holder.classList.add("show");
  try { return await axe.run(dialog || holder, options); }
  finally {
    if (dialog) dialog.close();
    if (menu) holder.classList.remove("show");
    holder.innerHTML = "";
  }
}"""


@dataclass
class Dialog:
    """A dialog as a journey saw it open."""

    page_url: str
    url: str
    html: str
    refused: bool = False
    holder: str = "dialog-body"  # the element htmx filled: the dialog's, or the bell's menu

    @property
    def key(self) -> tuple:
        return (*_dialog_of(self.url), self.refused, self.holder)


@dataclass
class Visits:
    """The pages one context loaded while one set of cookies was in force."""

    viewport: dict | None
    urls: list[str] = field(default_factory=list)
    dialogs: list[Dialog] = field(default_factory=list)
    storage: dict | None = None


@dataclass
class Watch:
    """What one journey's contexts loaded, in order."""

    base: str = ""
    open: dict = field(default_factory=dict)  # context -> its current Visits
    done: list[Visits] = field(default_factory=list)

    def context_opened(self, context, viewport) -> None:
        self.open[context] = Visits(viewport=viewport)
        context.expose_binding("__axeDialog", self.dialog_opened)
        context.add_init_script(script=DIALOG_HOOK)
        context.on("page", self.page_opened)
        for page in context.pages:
            self.page_opened(page)

    def page_opened(self, page) -> None:
        context = page.context

        def loaded(response):
            request = response.request
            if (request.is_navigation_request() and request.frame.parent_frame is None
                    and request.method == "GET" and response.status == 200
                    and response.headers.get("content-type", "").startswith("text/html")
                    and context in self.open):
                visits = self.open[context]
                if response.url not in visits.urls:
                    visits.urls.append(response.url)

        page.on("response", loaded)

    def dialog_opened(self, source, page_url: str, url: str, html: str,
                      refused: bool = False, holder: str = "dialog-body") -> None:
        visits = self.open.get(source["context"])
        dialog = Dialog(page_url=page_url, url=url, html=html, refused=refused, holder=holder)
        if visits is not None and all(dialog.key != seen.key for seen in visits.dialogs):
            visits.dialogs.append(dialog)

    def cookies_change(self, context) -> None:
        """The journey is about to clear the cookies or close the context: what it loaded
        so far is checked as the person logged in now."""
        visits = self.open.get(context)
        if visits is None:
            return
        if visits.urls or visits.dialogs:
            visits.storage = context.storage_state()
            self.done.append(visits)
        self.open[context] = Visits(viewport=visits.viewport)

    def finish(self) -> list[Visits]:
        for context in list(self.open):
            self.cookies_change(context)
        return self.done


def check(browser, visits: list[Visits]) -> list[str]:
    """Load each page again and run axe; the serious and critical violations, described."""
    problems = []
    for group in visits:
        context = browser.new_context(storage_state=group.storage, bypass_csp=True,
                                      **({"viewport": group.viewport} if group.viewport else {}))
        try:
            page = context.new_page()
            for url in group.urls:
                key = (json.dumps(group.viewport, sort_keys=True), *_page_of(url))
                if _first_to_check(key):
                    problems += _check_page(page, url)
            problems += _check_dialogs(page, group)
        finally:
            context.close()
    return problems


def _page_of(url: str) -> tuple[str, tuple[str, ...]]:
    """The view a URL shows and the names of its query parameters."""
    parts = urlsplit(url)
    try:
        view = resolve(parts.path).view_name
    except Resolver404:
        view = parts.path
    return view, tuple(sorted(parse_qs(parts.query)))


def _dialog_of(url: str) -> tuple:
    """A dialog's view, the words among its address's arguments (a request's step, a
    record's kind: one form each) and the names of its query parameters."""
    view, query = _page_of(url)
    try:
        words = tuple(sorted(str(value) for value in resolve(urlsplit(url).path).kwargs.values()
                             if not str(value).isdigit()))
    except Resolver404:
        words = ()
    return "dialog", view, words, query


def _check_dialogs(page, group: Visits) -> list[str]:
    """Each dialog of `group` not checked yet, in the page last loaded (a page of the
    portal: every one has the dialog) or else in the one it opened on."""
    problems = []
    for dialog in group.dialogs:
        if not _first_to_check((json.dumps(group.viewport, sort_keys=True), *dialog.key)):
            continue
        if not _has_holder(page, dialog.holder):
            response = page.goto(dialog.page_url)
            if response is None or response.status != 200:
                continue
            settle(page, dialog.page_url)
            if not _has_holder(page, dialog.holder):
                continue
        if not page.evaluate("() => typeof axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE))
        result = page.evaluate(RUN_IN_DIALOG, [dialog.holder, dialog.html, RUN_OPTIONS])
        what = "dialog" if dialog.holder == "dialog-body" else dialog.holder
        problems += _described(result, f"{what} {dialog.url} (opened on {dialog.page_url})")
    return problems


def _has_holder(page, holder: str) -> bool:
    return page.url.startswith("http") and page.locator(f"#{holder}").count() == 1


def _check_page(page, url) -> list[str]:
    response = page.goto(url)
    if response is None or response.status != 200:
        return []
    settle(page, url)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("options => axe.run(document, options)", RUN_OPTIONS)
    return _described(result, page.url)


def _described(result, where_checked: str) -> list[str]:
    problems = []
    for violation in result["violations"]:
        if violation["impact"] not in FAILING:
            continue
        nodes = violation["nodes"]
        where = "; ".join(" >>> ".join(part if isinstance(part, str) else " ".join(part)
                                       for part in node["target"]) for node in nodes[:3])
        more = f" and {len(nodes) - 3} more" if len(nodes) > 3 else ""
        first = (nodes[0].get("any") or nodes[0].get("all") or [{}])[0].get("message", "")
        problems.append(f"{where_checked}: {violation['impact']} {violation['id']} "
                        f"({violation['help']}) at {where}{more}. {first}")
    return problems
