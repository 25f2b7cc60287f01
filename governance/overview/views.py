"""Pages across topics and partnerships: My work (what the user owes everywhere) and the
global search (PostgreSQL full-text and trigram search, live results with htmx), with the top
bar's type-ahead."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.utils import timezone
from django.views.generic import TemplateView

from governance.overview import selectors
from portal.registries import my_work as my_work_registry
from portal.registries import search as search_registry
from portal.views import HtmxPartialMixin

#: Rows per page of My work.
MY_WORK_PAGE = 25


class MyWorkView(LoginRequiredMixin, HtmxPartialMixin, TemplateView):
    """Everything awaiting the person across his partnerships, in one table paged by
    MY_WORK_PAGE rows, the earliest due first (portal.registries.my_work)."""

    template_name = "governance/my_work.html"

    def get_context_data(self, **kwargs):
        items = my_work_registry.items(user=self.request.user)
        page = Paginator(items, MY_WORK_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(page_obj=page, items=page.object_list,
                                        today=timezone.localdate(), **kwargs)


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
