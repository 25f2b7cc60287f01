"""The global search page of the top bar: PostgreSQL full-text search over the records of
the user's partnerships (governance.selectors.search), live results with htmx."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from governance import selectors
from portal.views import HtmxPartialMixin


class SearchView(LoginRequiredMixin, HtmxPartialMixin, TemplateView):
    """GET ?q=… ; an htmx request (typing in the box) gets only the results partial."""

    template_name = "governance/search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()[:200]
        groups = selectors.search(user=self.request.user, query=query)
        return super().get_context_data(query=query, groups=groups, **kwargs)
