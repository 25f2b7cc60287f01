"""Pages across topics and partnerships: My work (what the user owes everywhere) and the
global search (PostgreSQL full-text and trigram search, live results with htmx), with the top
bar's type-ahead."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from governance.overview import selectors
from portal.registries import my_work as my_work_registry
from portal.registries import search as search_registry
from portal.views import HtmxPartialMixin


class MyWorkView(LoginRequiredMixin, TemplateView):
    template_name = "governance/my_work.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **selectors.my_work(user=self.request.user),
            sections=my_work_registry.sections(user=self.request.user), **kwargs)


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
