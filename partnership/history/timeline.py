"""The History of one record as a page of entries: its own events and its parts' and links'
(partnership.history.sources), interleaved by time, newest first.

One UNION query orders and pages the events of every source by time (and counts them);
then each source on the page is read in one query, with the event before each one of the
same row (to diff with); then each kind of record the page names, once. So a page costs a
few queries per kind of part on it, whatever the length of the history.
"""

from django.core.paginator import Page, Paginator
from django.db.models import IntegerField, OuterRef, Q, Subquery, Value

from partnership.history.selectors import Entry, Formatter, load_names
from partnership.history.sharing import hidden_until
from partnership.history.sources import sources
from partnership.history.tracking import event_model
from partnership.parties.models import Membership


def shown_since(record, viewer):
    """The moment before which `viewer` reads none of `record`'s History (partnership.
    history.sharing: while it was internal to the other party, or in its kind's
    OWN_STATUSES — for a steering seat whichever party wrote it), or None."""
    known = record.__dict__.setdefault("_history_shown_since", {})
    if viewer.pk not in known:
        steering = bool(getattr(type(record), "OWN_STATUSES", ())) and \
            Membership.objects.filter(user=viewer, partnership_id=record.partnership_id,
                                      role=Membership.Role.STEERING).exists()
        known[viewer.pk] = hidden_until(type(record), [record.pk], viewer.organization_id,
                                        own_statuses_of_all=steering).get(record.pk)
    return known[viewer.pk]


def record_timeline(record, viewer):
    """(time, source number, event id) of every event of `record`'s History that `viewer`
    reads, newest first: a queryset to page."""
    union = None
    since = shown_since(record, viewer)
    for number, source in enumerate(sources(type(record))):
        events = source.of([record.pk])
        if since is not None:
            events = events.filter(pgh_created_at__gte=since)
        rows = events.annotate(
            source=Value(number, output_field=IntegerField())).values_list(
            "pgh_created_at", "source", "pgh_id")
        union = rows if union is None else union.union(rows, all=True)
    return union.order_by("-pgh_created_at", "-source", "-pgh_id")


def record_history_page(record, viewer, page_number) -> tuple[Page, list[Entry]]:
    """The page `page_number` of `record`'s History and its entries as `viewer` reads
    them (the record was read through its own scoping: its parts are readable with it)."""
    page = Paginator(record_timeline(record, viewer), 20).get_page(page_number)
    return page, timeline_entries(record, list(page.object_list), viewer)


def timeline_entries(record, rows: list, viewer) -> list[Entry]:
    """The entries of `rows` (record_timeline's), in their order; an update that changed
    only hidden fields shows nothing, and the links one statement made or removed of one
    field show as one entry ("Sites: added Site A, removed Site B")."""
    kinds = sources(type(record))
    wanted_ids: dict[int, list[int]] = {}
    for _at, number, pgh_id in rows:
        wanted_ids.setdefault(number, []).append(pgh_id)
    names: dict = {}
    loaded: dict = {}
    formatters: dict = {}
    since = shown_since(record, viewer)
    for number, ids in wanted_ids.items():
        source = kinds[number]
        formatters[number] = Formatter(source.model, viewer, source=source, names=names)
        loaded[number] = _with_previous(source, ids, since)
    pairs = [(number, loaded[number][pgh_id]) for _at, number, pgh_id in rows]
    pairs = [(number, event, loaded[number].get(getattr(event, "previous_id", None)))
             for number, event in pairs]
    wanted: dict = {}
    for number, event, before in pairs:
        for kind, ids in formatters[number].wanted([(event, before)]).items():
            wanted.setdefault(kind, set()).update(ids)
    load_names(viewer, names, wanted)
    entries = []
    for number, event, before in pairs:
        entry = formatters[number].entry(event, before)
        if entry is not None:
            entries.append(entry)
    return merge_links(entries)


def _with_previous(source, ids: list[int], since=None) -> dict:
    """{event id: event} of the events `ids` of `source` and of the event before each of
    them of the same row (`previous_id` on each; none before `since`, what the reader may
    not read), in one query. A link has no before."""
    events = event_model(source.model).objects
    if since is not None:
        events = events.filter(pgh_created_at__gte=since)
    if source.link is not None:
        return {event.pgh_id: event for event in events.filter(pgh_id__in=ids)}
    previous = Subquery(events.filter(pgh_obj_id=OuterRef("pgh_obj_id"),
                                      pgh_id__lt=OuterRef("pgh_id"))
                        .order_by("-pgh_id").values("pgh_id")[:1])
    wanted = events.filter(pgh_id__in=ids).annotate(previous=previous).values("previous")
    rows = events.filter(Q(pgh_id__in=ids) | Q(pgh_id__in=wanted)).annotate(
        previous_id=previous)
    return {event.pgh_id: event for event in rows}


def merge_links(entries: list[Entry]) -> list[Entry]:
    """One entry for the links of one field that one statement context made or removed
    (a program's sites set at once), next to each other on the page."""
    merged: list[Entry] = []
    for entry in entries:
        last = merged[-1] if merged else None
        if last is not None and entry.link and last.link and \
                entry.context_id is not None and entry.context_id == last.context_id and \
                (entry.part, entry.changes[0].field) == (last.part, last.changes[0].field):
            last.changes[0].new = f"{last.changes[0].new}, {entry.changes[0].new}"
            continue
        merged.append(entry)
    return merged

