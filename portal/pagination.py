"""Pagination of pages and API lists, with a bounded count (its own module: DRF imports it
while app API modules are loading).

Why bounded: a large sponsor's partnership holds hundreds of thousands of action items, and
Django's Paginator runs `SELECT COUNT(*)` over every matching row on every page — work that
grows with the data while the page shows 25 rows. Here the count reads at most
COUNT_LIMIT + 1 rows (`SELECT COUNT(*) FROM (SELECT id … LIMIT 10001)`, served by the same
index as the page's sort): up to COUNT_LIMIT the count and the pages are exact; beyond it
the list says "10,000+", has no last page, and "Next" is known by fetching one row more
than the page shows. Any page number still works (OFFSET, through the sort's index), so
links stay valid.
"""

import math

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property
from rest_framework import pagination

COUNT_LIMIT = 10_000
#: The largest OFFSET … LIMIT a page may ask of PostgreSQL (a bigint); past it, no rows.
MAX_OFFSET = 2**63 - 1


class BoundedPage(Page):
    """A page that knows whether another follows even when the count stopped at the limit."""

    more: bool | None = None

    def has_next(self) -> bool:
        return self.more if self.more is not None else super().has_next()


class BoundedPaginator(Paginator):
    """Django's Paginator whose count stops at `count_limit` (see the module's docstring)."""

    count_limit = COUNT_LIMIT

    @cached_property
    def counted(self) -> int:
        """The number of rows, up to count_limit + 1 (one more says "there are more")."""
        rows = self.object_list
        if hasattr(rows, "query"):
            # No ORDER BY (the rows are counted, not ranked) and only the key: annotations
            # such as an action's escalation level are not computed for the count.
            if rows.query.values_select or rows.query.distinct or rows.query.is_sliced:
                bounded = rows[: self.count_limit + 1]
            else:
                bounded = rows.order_by().values("pk")[: self.count_limit + 1]
            return bounded.count()
        return min(len(rows), self.count_limit + 1)

    @property
    def exact(self) -> bool:
        """Whether `count` is the number of rows (else: at least count_limit)."""
        return self.counted <= self.count_limit

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.count_limit)

    @cached_property
    def num_pages(self) -> int:
        """The pages of the counted rows: the last page only when the count is exact."""
        if self.exact:
            return super().num_pages
        return math.ceil(self.count_limit / self.per_page)

    def validate_number(self, number):
        if self.exact:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if number * self.per_page > MAX_OFFSET:
            # No table holds that many rows; PostgreSQL would refuse the OFFSET ("bigint
            # out of range", a 500 on ?page=10**20 of a list past the count's limit).
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def rows(self, bottom: int, top: int):
        """The rows from `bottom` to `top` (a list may read them another way: a view's
        `page_rows`, see Pagination)."""
        return self.object_list[bottom:top]

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if self.exact:
            top = bottom + self.per_page
            if top + self.orphans >= self.count:
                top = self.count
            return self._get_page(self.rows(bottom, top), number, self)
        rows = list(self.rows(bottom, bottom + self.per_page + 1))
        if not rows:
            raise EmptyPage(self.error_messages["no_results"])
        page = self._get_page(rows[: self.per_page], number, self)
        page.more = len(rows) > self.per_page
        return page

    def _get_page(self, *args, **kwargs):
        return BoundedPage(*args, **kwargs)


class Pagination(pagination.PageNumberPagination):
    """DRF's count/next/previous/results and ?page= (clients page by number), ?page_size= up
    to 200 — with a bounded count: `count` stops at 10,000 (BoundedPaginator) and `next`
    keeps going beyond. Chosen over cursor pagination to keep ?page= and the response's
    shape for existing clients; the sort's index serves both the page and the count."""

    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = BoundedPaginator

    def paginate_queryset(self, queryset, request, view=None):
        """A view with `page_rows(queryset, bottom, top)` reads its page's rows itself (the
        count stays the queryset's): the KPI values' list reads the newest of each
        partnership by its own index instead of sorting a million values."""
        page_rows = getattr(view, "page_rows", None)
        if page_rows is not None:
            self.django_paginator_class = type(
                "ViewRowsPaginator", (BoundedPaginator,),
                {"rows": lambda paginator, bottom, top: page_rows(
                    paginator.object_list, bottom, top)})
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count"]["description"] = (
            f"The number of results, counted up to {COUNT_LIMIT:,}: a larger result says "
            f"{COUNT_LIMIT:,}, and `next` goes on past it.")
        return schema
