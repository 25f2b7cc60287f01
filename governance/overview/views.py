"""Pages across topics and partnerships: My work (what the user owes everywhere) and the
global search (PostgreSQL full-text and trigram search, live results with htmx), with the top
bar's type-ahead."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView

from governance.overview import selectors
from portal.registries import my_work as my_work_registry
from portal.registries import search as search_registry
from portal.views import HtmxPartialMixin

#: Rows per page of My work.
MY_WORK_PAGE = 25
#: The furthest page of one kind asked for (?kind=…&page=): 100,000 rows of one kind.
MY_WORK_LAST_PAGE = 4000


class MyWorkView(LoginRequiredMixin, HtmxPartialMixin, TemplateView):
    """Everything awaiting the person across his partnerships, in one table paged by
    MY_WORK_PAGE rows, the earliest due first (portal.registries.my_work). Each kind holds
    at most ROWS_PER_PROVIDER rows there; a kind with more says how many and links to
    ?kind=<key>, which pages through all of that kind alone (OFFSET … LIMIT in SQL, so a
    page costs the same whichever page it is and however many there are)."""

    template_name = "governance/my_work.html"

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        key = self.request.GET.get("kind")
        if key:
            return super().get_context_data(today=today, **self.kind_page(key), **kwargs)
        items = my_work_registry.items(user=user)
        page = Paginator(items, MY_WORK_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(page_obj=page, items=page.object_list, today=today,
                                        cuts=my_work_registry.cuts(items, user=user),
                                        **kwargs)

    def kind_page(self, key: str) -> dict:
        kind = my_work_registry.kind(key)
        if kind is None:
            raise Http404("No such kind of work.")
        user = self.request.user
        try:
            number = min(max(int(self.request.GET.get("page", 1)), 1), MY_WORK_LAST_PAGE)
        except (TypeError, ValueError):
            number = 1
        # One row past the page says whether there is a next one: past COUNT_CAP the count
        # stops, the pages do not.
        rows = kind.rows(user=user, offset=(number - 1) * MY_WORK_PAGE,
                         limit=MY_WORK_PAGE + 1)
        total = kind.count(user=user, cap=my_work_registry.COUNT_CAP + 1)
        return {"kind": kind, "items": rows[:MY_WORK_PAGE],
                "total": min(total, my_work_registry.COUNT_CAP),
                "more_than": total > my_work_registry.COUNT_CAP,
                "kind_page": {"number": number,
                              "previous": number - 1 if number > 1 else None,
                              "next": number + 1 if len(rows) > MY_WORK_PAGE else None}}


class SearchView(LoginRequiredMixin, HtmxPartialMixin, TemplateView):
    """GET ?q=… ; an htmx request (typing in the box) gets only the results partial."""

    template_name = "governance/search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()[:200]
        groups = selectors.search(user=self.request.user, query=query)
        return super().get_context_data(query=query, groups=groups,
                                        searched=search_registry.nouns(), **kwargs)


class SearchSuggestionsView(LoginRequiredMixin, TemplateView):
    """GET ?q=… from the top bar's search box as the person types (htmx): the few best
    matches across every kind as the options of its list, and a last option for every
    result. Without JavaScript the box submits to the search page instead."""

    template_name = "governance/search_suggestions.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()[:200]
        records = selectors.suggestions(user=self.request.user, query=query)
        return super().get_context_data(query=query, records=records, **kwargs)
