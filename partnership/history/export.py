"""The auditor's export: a partnership's history over a period, as CSV and PDF.

What it holds is what the exporting person may see, read through each record's own scoping:
the records of the partnership they see (`visible_to`, so never the other party's internal
ones), the seats and the partnership's settings, and the flags of the people seated in it.
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
from partnership.history.tracking import event_model
from partnership.parties.models import Partnership, User
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
    """(model, the events of the records of that kind `user` may see in `partnership`,
    {id: name} of those records)."""
    for model in history_models().values():
        events = event_model(model).objects.all()
        if model is Partnership:
            yield model, events.filter(pgh_obj_id=partnership.pk), {partnership.pk: str(
                partnership)}
            continue
        visible = model.objects.visible_to(user).filter(partnership=partnership)
        if can_be_internal(model):
            events = events.filter(pgh_obj_id__in=visible.values("pk"))
        else:  # a removed seat stays in the trail: its rows say which partnership it was;
            # a row still there shows as its kind's own rule shows it (a signature, as the
            # record it signs)
            events = events.filter(partnership_id=partnership.pk).filter(
                Q(pgh_obj_id__in=visible.values("pk")) |
                ~Q(pgh_obj_id__in=model._base_manager.values("pk")))
        yield model, events, None
    people = User.objects.visible_to(user).filter(
        pk__in=partnership.seated_people().values("pk"))
    yield User, event_model(User).objects.filter(pgh_obj_id__in=people.values("pk")), None


def partnership_entries(*, user, partnership: Partnership, start: datetime.date,
                        end: datetime.date) -> list[Entry]:
    """Every change in `partnership` between `start` and `end` (whole days in the reader's
    zone) that `user` may see, oldest first. A few queries per kind of record."""
    since, until = _bounds(start, end)
    entries = []
    for model, events, names in _kinds(user, partnership):
        period = list(events.filter(pgh_created_at__gte=since, pgh_created_at__lt=until)
                      .order_by("pgh_obj_id", "pgh_id"))
        if not period:
            continue
        ids = {event.pgh_obj_id for event in period}
        before = {event.pgh_obj_id: event for event in event_model(model).objects.filter(
            pgh_obj_id__in=ids, pgh_created_at__lt=since).order_by(
            "pgh_obj_id", "-pgh_id").distinct("pgh_obj_id")}
        if names is None:
            names = {row.pk: str(row) for row in model._base_manager.filter(pk__in=ids)}
        formatter = Formatter(model, user)
        formatter.load([*period, *before.values()])
        previous = {}
        for event in period:
            entry = formatter.entry(event, previous.get(event.pgh_obj_id,
                                                        before.get(event.pgh_obj_id)))
            entry.record = names.get(event.pgh_obj_id, f"#{event.pgh_obj_id} (deleted)")
            previous[event.pgh_obj_id] = event
            entries.append((event.pgh_created_at, entry))
    return [entry for _at, entry in sorted(entries, key=lambda pair: pair[0])]


HEADER = ["time (UTC)", "time (your zone)", "record kind", "record id", "record", "action",
          "person", "door", "reason", "field", "old value", "new value"]


def as_csv(entries: list[Entry]) -> str:
    """One row per field changed (an event that changed no field: one row)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for entry in entries:
        common = [entry.at.astimezone(datetime.UTC).isoformat(),
                  timezone.localtime(entry.at).isoformat(), entry.kind, entry.record_id,
                  _cell(entry.record), entry.action, _cell(entry.person), entry.door,
                  _cell(entry.reason)]
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
             ("When (UTC / your zone)", "Record", "Who · door", "What changed", "Reason")]]
    for entry in entries:
        changes = "<br/>".join(
            f"<b>{escape(c.field)}</b>: {escape(c.old)} → {escape(c.new)}" for c in entry.changes)
        rows.append([
            Paragraph(f"{entry.at.astimezone(datetime.UTC):%Y-%m-%d %H:%M} UTC<br/>"
                      f"{timezone.localtime(entry.at):%d %b %Y %H:%M %Z}", small),
            Paragraph(escape(f"{entry.kind} #{entry.record_id}: {entry.record}"), small),
            Paragraph(escape(f"{entry.person} · {entry.door}"), small),
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
