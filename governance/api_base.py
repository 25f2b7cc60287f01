"""The base of governance's API viewsets: the scoped viewset, reading through a selector."""

from partnership.scoping_views import ScopedViewSet


class SelectorViewSet(ScopedViewSet):
    """A ScopedViewSet whose rows come from `selector`: the one the records' list page reads
    (or, for records listed on no page, the one their page reads them with), so the API and
    the pages see the same rows with the same figures (annotations, prefetches). Selectors
    start from the scoped queryset, so foreign ids answer 404.

    `selector` is called `selector(user=…, partnership=…)`: the id of `?partnership=<id>`,
    or None for all of the user's partnerships. That narrows a shared resource; it can only
    narrow, never widen."""

    selector = None

    def get_queryset(self):
        return type(self).selector(user=self.request.user, partnership=self.partnership_asked())

    def partnership_asked(self) -> int | None:
        """The partnership `?partnership=<id>` narrows the list to, if any."""
        value = self.request.query_params.get("partnership", "")
        return int(value) if value.isdigit() else None

    def read_again(self, record):
        """`record` as the selector gives it (with its figures), after a service wrote it
        and returned the bare row; the row itself if the user no longer sees it."""
        return type(self).selector(user=self.request.user, partnership=record.partnership_id
                                   ).filter(pk=record.pk).first() or record
