"""The auditor's export: a partnership's history over a period, as CSV and PDF.

What it holds is what the exporting person may see, read through each record's own scoping:
the records of the partnership they see (`visible_to`, so never the other party's internal
ones) with their parts (a contract's rounds and signatures: readable exactly when the
record is), the seats, the partnership's settings, its two parties, and the flags of the
people seated in it.
"""

import csv
import datetime
import io
import zoneinfo
from xml.sax.saxutils import escape

from django.db.models import Q
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from partnership.history.selectors import Entry, Formatter, history_models
from partnership.history.sharing import hidden_until, is_hidden
from partnership.history.sources import sources
from partnership.history.tracking import event_model
from partnership.parties.models import Organization, Partnership, User
from partnership.permissions import can
from partnership.scoping import can_be_internal

#: The longest period one export covers (a year and a bit): a bigger one is a job, not a page.
MAX_DAYS = 400


def _bounds(start: datetime.date, end: datetime.date) -> tuple:
    """The period in the reader's zone, from the start of `start` to the end of `end`."""
    zone = timezone.get_current_timezone()
    return (datetime.datetime.combine(start, datetime.time.min, zone),
            datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min,
                                      zone))


def _kinds(user, partnership: Partnership):
    """(model, the filter of its own events `user` may see in `partnership`, the ids of its
    records they may see, {id: name} of those records or None): each kind with a History."""
    for model in history_models().values():
        if model is Partnership:
            yield model, Q(pgh_obj_id=partnership.pk), [partnership.pk], {
                partnership.pk: str(partnership)}
            continue
        if model is Organization:
            parties = [partnership.sponsor_id, partnership.cdmo_id]
            yield model, Q(pgh_obj_id__in=parties), parties, None
            continue
        visible = model.objects.visible_to(user).filter(partnership=partnership).values("pk")
        if can_be_internal(model):
            own = Q(pgh_obj_id__in=visible)
        else:  # a removed seat stays in the trail: its rows say which partnership it was;
            # a row still there shows as its kind's own rule shows it
            own = Q(partnership_id=partnership.pk) & (
                Q(pgh_obj_id__in=visible) | ~Q(pgh_obj_id__in=model._base_manager.values("pk")))
        yield model, own, visible, None


def _period_events(user, partnership, since, until):
    """(source, its events in the period, oldest first) of every source of every kind: a
    record's own events and its parts' (partnership.history.sources), read for the records
    `user` may see; then the seated people's flags."""
    for model, own, visible, names in _kinds(user, partnership):
        cut = hidden_until(model, visible.values_list("pk", flat=True) if hasattr(
            visible, "values_list") else visible, user.organization_id)
        for source in sources(model):
            events = source.events().filter(own) if source.own else source.of(visible)
            yield model, source, events.filter(
                pgh_created_at__gte=since, pgh_created_at__lt=until).order_by("pgh_id"), \
                names, cut
    # A person's account history is theirs, their organization admins' and the operators'
    # (the rule the people API keeps), not every partner's who sees them.
    people = [person.pk for person in User.objects.visible_to(user).filter(
        pk__in=partnership.seated_people().values("pk"))
        if can(user, "partnership.person_history_view", person)]
    source = sources(User)[0]
    yield User, source, source.events().filter(pgh_obj_id__in=people,
                                               pgh_created_at__gte=since,
                                               pgh_created_at__lt=until).order_by("pgh_id"), \
        None, {}


def partnership_entries(*, user, partnership: Partnership, start: datetime.date,
                        end: datetime.date) -> list[Entry]:
    """Every change in `partnership` between `start` and `end` (whole days in the reader's
    zone) that `user` may see, oldest first, each part's under its record. A few queries
    per kind of record and part."""
    since, until = _bounds(start, end)
    entries = []
    for model, source, events, names, cut in _period_events(user, partnership, since, until):
        # Nothing from while a record was internal to the other party (history.sharing).
        period = [event for event in events
                  if not is_hidden(event.pgh_created_at, event.pgh_parent, cut)]
        if not period:
            continue
        before = {}
        if source.link is None:
            ids = {event.pgh_obj_id for event in period}
            before = {event.pgh_obj_id: event for event in event_model(source.model).objects
                      .filter(pgh_obj_id__in=ids, pgh_created_at__lt=since)
                      .order_by("pgh_obj_id", "-pgh_id").distinct("pgh_obj_id")}
        parents = {event.pgh_parent for event in period}
        if names is None:
            names = {row.pk: str(row) for row in model._base_manager.filter(pk__in=parents)}
        formatter = Formatter(source.model, user, source=source)
        pairs, previous = [], {}
        for event in period:
            key = getattr(event, "pgh_obj_id", None)
            earlier = previous.get(key, before.get(key))
            if earlier is not None and is_hidden(earlier.pgh_created_at, event.pgh_parent, cut):
                earlier = None  # never diff against what the reader may not read
            pairs.append((event, earlier))
            previous[key] = event
        formatter.load(pairs)
        for event, earlier in pairs:
            entry = formatter.entry(event, earlier)
            if entry is None:
                continue
            entry.kind = str(model._meta.verbose_name)
            entry.record_id = event.pgh_parent
            entry.record = names.get(event.pgh_parent, f"#{event.pgh_parent} (deleted)")
            entries.append((event.pgh_created_at, entry))
    return [entry for _at, entry in sorted(entries, key=lambda pair: pair[0])]


HEADER = ["time (UTC)", "time (your zone)", "record kind", "record id", "record", "part",
          "action", "person", "door", "reason", "field", "old value", "new value"]


def as_csv(entries: list[Entry]) -> str:
    """One row per field changed (an event that changed no field: one row)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for entry in entries:
        common = [entry.at.astimezone(datetime.UTC).isoformat(),
                  timezone.localtime(entry.at).isoformat(), entry.kind, entry.record_id,
                  _cell(entry.record), _cell(entry.part), entry.action, _cell(entry.person),
                  entry.door, _cell(entry.reason)]
        for change in entry.changes or [None]:
            writer.writerow(common + ([_cell(change.field), _cell(change.old),
                                       _cell(change.new)] if change else ["", "", ""]))
    return out.getvalue()


def _cell(value) -> str:
    """A spreadsheet does not run what a cell says (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def as_pdf(entries: list[Entry], *, partnership, user, start, end) -> bytes:
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7.5, leading=9)
    zone = timezone.get_current_timezone()
    document = SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=12 * mm,
                                 rightMargin=12 * mm, topMargin=12 * mm, bottomMargin=12 * mm,
                                 title=f"Audit trail of {partnership}")
    now = timezone.localtime()
    story = [
        Paragraph(escape(f"Audit trail: {partnership}"), styles["Title"]),
        Paragraph(escape(f"From {start:%d %b %Y} to {end:%d %b %Y} (whole days in "
                         f"{_zone_name(zone)}). Exported by {user} on "
                         f"{now:%d %b %Y %H:%M %Z}. {len(entries)} change(s); only the "
                         "records the exporting person may see."), styles["BodyText"]),
        Spacer(1, 4 * mm),
    ]
    rows = [[Paragraph(f"<b>{label}</b>", small) for label in
             ("When (UTC / your zone)", "Record", "Who · via", "What changed", "Reason")]]
    for entry in entries:
        changes = "<br/>".join(
            f"<b>{escape(c.field)}</b>: {escape(c.old)} → {escape(c.new)}" for c in entry.changes)
        rows.append([
            Paragraph(f"{entry.at.astimezone(datetime.UTC):%Y-%m-%d %H:%M} UTC<br/>"
                      f"{timezone.localtime(entry.at):%d %b %Y %H:%M %Z}", small),
            Paragraph(escape(f"{entry.kind[:1].upper()}{entry.kind[1:]}: "
                             f"{entry.record or f'#{entry.record_id}'}") + (
                f"<br/><i>{escape(entry.part)}</i>" if entry.part else ""), small),
            Paragraph(escape(f"{entry.person} · {entry.via}"), small),
            Paragraph(f"<i>{entry.action}</i><br/>{changes}", small),
            Paragraph(escape(entry.reason or "—"), small),
        ])
    table = Table(rows, colWidths=[38 * mm, 55 * mm, 45 * mm, 100 * mm, 35 * mm],
                  repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    story.append(table)
    document.build(story)
    return buffer.getvalue()


def _zone_name(zone) -> str:
    return zone.key if isinstance(zone, zoneinfo.ZoneInfo) else str(zone)
