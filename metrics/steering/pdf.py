"""The steering pack's PDF (reportlab): the scorecard of the period with a small chart per
KPI, then what is escalated, over budget, awaiting the committee, the top risks and the
decisions of the period. Built from what the requester may see (the job reads as them)."""

import datetime
import io
from collections import defaultdict
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, PolyLine
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from governance.meetings.models import Decision
from metrics.kpis.selectors import kpi_definition_list
from metrics.measurements.selectors import published
from metrics.steering import selectors
from partnership.models import Partnership, User

#: The chart of a KPI in the scorecard table, in points.
CHART_WIDTH, CHART_HEIGHT = 60 * mm, 10 * mm
RAG_COLOURS = {"green": colors.HexColor("#198754"), "amber": colors.HexColor("#b35c00"),
               "red": colors.HexColor("#b02a37")}


@dataclass
class Series:
    name: str
    unit: str
    target: object
    values: list  # (period, value), oldest first
    rag: str | None


def period_series(*, user: User, partnership: Partnership, start: datetime.date,
                  end: datetime.date) -> list[Series]:
    """Each agreed KPI with its published values of the period (two queries)."""
    definitions = list(kpi_definition_list(user=user).in_force().filter(
        partnership=partnership).order_by("name", "key"))
    values = defaultdict(list)
    for key, period, value in published(user=user).filter(
            partnership=partnership, period__gte=start, period__lte=end).order_by(
            "key", "period").values_list("key", "period", "value"):
        values[key].append((period, value))
    return [Series(d.name, d.unit, d.target, values[d.key],
                   d.rag(values[d.key][-1][1]) if values[d.key] else None)
            for d in definitions]


def figure(value, unit: str) -> str:
    """A published value as the page shows it: '92.5 %', '3 days'."""
    text = f"{value.normalize():f}" if hasattr(value, "normalize") else str(value)
    return f"{text} {unit}".strip()


def chart(values: list) -> Drawing:
    """A sparkline of the period's values, scaled to its box."""
    drawing = Drawing(CHART_WIDTH, CHART_HEIGHT)
    if len(values) >= 2:
        numbers = [float(value) for _period, value in values]
        low, span = min(numbers), (max(numbers) - min(numbers)) or 1.0
        step = CHART_WIDTH / (len(numbers) - 1)
        points = []
        for index, number in enumerate(numbers):
            points += [index * step, 2 + (number - low) / span * (CHART_HEIGHT - 4)]
        drawing.add(PolyLine(points, strokeColor=colors.HexColor("#0d6efd"), strokeWidth=1))
    return drawing


def in_pack(request, user: User) -> bool:
    """Whether the pack quotes the request's justification. The pack is its requester's
    organization's (selectors.pack_list): every one of its people in the partnership opens
    it, so it quotes only what each of them reads (governance.request_read_justification):
    the justification of a request their own party sent. The other party's, over budget,
    is read on the request's page, where the rule is asked of each reader."""
    return request.justification_readable and request.side_of(user) == "requester"


def _table(header: list[str], rows: list[list], widths=None) -> Table:
    table = Table([header, *rows], colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
        ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.grey),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f3f4f6")])]))
    return table


def build_pack(*, user: User, partnership: Partnership, start: datetime.date,
               end: datetime.date, requested_by: str, generated_at: datetime.datetime
               ) -> bytes:
    """The pack's bytes. Uncompressed page streams: the figures are plain text in the file
    (a reader or a test finds them without a PDF library)."""
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    page = selectors.steering_page(user=user, partnerships=[partnership])
    story = [
        _p(f"Steering committee pack — {partnership}", styles["Title"]),
        _p(f"Period {start:%d %b %Y} to {end:%d %b %Y}. Asked for by {requested_by}; "
                  f"generated {generated_at:%d %b %Y %H:%M %Z} "
                  f"({generated_at.astimezone(datetime.UTC):%H:%M} UTC).", small),
        Spacer(1, 4 * mm), Paragraph("Scorecard (published values)", styles["Heading2"])]
    rows = []
    for series in period_series(user=user, partnership=partnership, start=start, end=end):
        latest = figure(series.values[-1][1], series.unit) if series.values else "no value"
        rows.append([_p(series.name, small), latest,
                     (series.rag or "—").upper(), figure(series.target, series.unit),
                     chart(series.values)])
    story.append(_table(["KPI", "Latest", "RAG", "Target", "Trend in the period"],
                        rows or [["No KPI agreed yet.", "", "", "", ""]],
                        widths=[55 * mm, 22 * mm, 14 * mm, 20 * mm, CHART_WIDTH + 4 * mm]))
    story += [Spacer(1, 4 * mm), Paragraph("Escalated to level 2 and 3", styles["Heading2"])]
    escalated = [[_p(item.title, small), "Action", item.escalation_level,
                  _age(item.escalated_at, page.today)] for item in page.escalated.actions.rows]
    escalated += [[_p(item.title, small), "Request", item.escalation_level,
                   _age(item.escalated_at, page.today)]
                  for item in page.escalated.requests.rows]
    story.append(_table(["Item", "Kind", "Level", "At this level"],
                        escalated or [["Nothing escalated.", "", "", ""]],
                        widths=[100 * mm, 20 * mm, 15 * mm, 30 * mm]))
    story += [Spacer(1, 4 * mm), Paragraph("Emergency requests over budget",
                                           styles["Heading2"])]
    story.append(_table(["Request", "Justification"], [
        [_p(item.title, small), _p(
            item.emergency_justification if in_pack(item, user)
            else "(the sending party's)", small)] for item in page.over_budget.rows]
        or [["None.", ""]], widths=[70 * mm, 100 * mm]))
    story += [Spacer(1, 4 * mm), Paragraph("Top risks", styles["Heading2"])]
    story.append(_table(["Risk", "Category", "Score", "Mitigation"], [
        [_p(risk.title, small), risk.get_category_display(), risk.risk_score,
         _p(risk.mitigation, small)] for risk in page.risks.rows]
        or [["No open risk.", "", "", ""]], widths=[55 * mm, 25 * mm, 12 * mm, 78 * mm]))
    story += [Spacer(1, 4 * mm), Paragraph("Decisions of the period", styles["Heading2"])]
    decisions = Decision.objects.visible_to(user).filter(
        partnership=partnership, decided_on__gte=start, decided_on__lte=end).order_by(
        "decided_on", "pk")[:selectors.SHOWN * 3]
    story.append(_table(["Decided", "Decision", "Why"], [
        [f"{d.decided_on:%d %b %Y}", _p(d.title, small), _p(d.rationale, small)]
        for d in decisions] or [["", "No decision logged in the period.", ""]],
        widths=[22 * mm, 60 * mm, 88 * mm]))
    story += [Spacer(1, 4 * mm), Paragraph("Awaiting the committee", styles["Heading2"])]
    story.append(_table(["Open action of a steering meeting", "Due"], [
        [_p(item.title, small), f"{item.due_date:%d %b %Y}"]
        for item in page.awaiting.actions.rows] or [["None.", ""]],
        widths=[140 * mm, 30 * mm]))
    for _partnership, signs in page.signs:
        if signs:
            story += [Spacer(1, 4 * mm),
                      Paragraph("Relationship health: warning signs", styles["Heading2"]),
                      *[_p(sign, small) for sign in signs]]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title="Steering committee pack", author=requested_by,
                      leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                      bottomMargin=15 * mm, pageCompression=0, invariant=1).build(story)
    return out.getvalue()


def _p(text, style) -> Paragraph:
    """A paragraph of plain text (what people typed is never read as reportlab markup)."""
    return Paragraph(escape(str(text)), style)


def _age(since: datetime.datetime | None, today: datetime.date) -> str:
    if since is None:
        return ""
    days = (today - since.date()).days
    return f"{days} day{'s' if days != 1 else ''}"
