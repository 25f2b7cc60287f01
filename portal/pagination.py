"""API pagination (its own module: DRF imports it while app API modules are loading)."""

from rest_framework import pagination


class Pagination(pagination.PageNumberPagination):
    """DRF's count/next/previous/results; ?page_size= up to 200."""

    page_size_query_param = "page_size"
    max_page_size = 200
