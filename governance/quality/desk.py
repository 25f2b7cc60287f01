"""The QA desk (issue 12, item 9): one page for a QA lead, across the partnerships they act
for quality in, of what awaits quality — upcoming audits, findings awaiting a response,
open CAPAs by age, deviations whose notification clock runs or whose closure awaits the
sponsor, change controls awaiting the sponsor's decision or acknowledgement, lots
awaiting disposition or review, sites due for re-audit.

The page is a list of sections (SECTIONS): each a selector of its owning package (given the
user and the partnerships' ids, it starts from `visible_to(user)`) and a template fragment
for its rows. Adding a section is adding one entry. Each section costs one query however
many records there are (its first rows), their counts per partnership one for all, one more
reads the partnerships (each row holds its own from those): the page's query count is
pinned (tests/governance/test_quality_desk.py)."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, QuerySet, Value
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from governance.quality.batches import selectors as batches
from governance.quality.changes.selectors import desk_changes
from governance.quality.deviations import selectors as deviations
from governance.quality.qa import acts_for_quality_here, quality_partnerships
from governance.quality.selectors import desk_audits, desk_findings
from governance.quality.sites.selectors import reaudit_due_list
from partnership.models import Partnership
from portal.registries import navigation

#: Rows shown per section; the count and the links to the lists tell the rest.
ROWS = 10


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    #: (*, user, partnerships: list of ids) -> the rows, most urgent first (a queryset, or
    #: a list where the order is computed).
    rows: Callable[..., QuerySet | list]
    #: The fragment rendering one row (`row`, with `today` and `now`).
    template: str
    #: What the section says when nothing awaits.
    empty: str
    #: partnership id -> the page listing the section's records in that partnership (its
    #: filters take one status each, none says exactly what a section shows: unfiltered).
    list_url: Callable[[int], str]


def _url(name: str) -> Callable[[int], str]:
    return lambda pk: reverse(f"governance:{name}", args=[pk])


SECTIONS: list[Section] = [
    Section("audits", "Upcoming audits", desk_audits, "governance/desk/audit.html",
            "No audit is planned, confirmed or running.", _url("audit_list")),
    Section("findings", "Findings awaiting a response", desk_findings,
            "governance/desk/finding.html", "No findings await a response.",
            _url("audit_list")),
    Section("capas", "Open CAPAs, oldest first", deviations.desk_capas,
            "governance/desk/capa.html", "No CAPA is open.",
            _url("capa_list")),
    Section("deviations", "Deviations: notification clock running or closure awaited",
            deviations.desk_deviations, "governance/desk/deviation.html",
            "No deviation's notification clock runs and no closure awaits approval.",
            _url("deviation_list")),
    Section("changes", "Change controls awaiting the sponsor", desk_changes,
            "governance/desk/change.html",
            "No change control awaits a decision or an acknowledgement.",
            _url("changecontrol_list")),
    Section("disposition", "Batches awaiting disposition", batches.desk_batches_to_dispose,
            "governance/desk/batch.html", "No lot awaits disposition.",
            _url("batch_list")),
    Section("review", "Batch records awaiting review", batches.desk_batches_to_review,
            "governance/desk/batch.html", "No batch record awaits review.",
            _url("batch_list")),
    Section("reaudits", "Sites due for re-audit", reaudit_due_list,
            "governance/desk/reaudit.html", "No site is due for re-audit.",
            _url("sitequalification_list")),
]


@dataclass
class Block:
    """A section as read for one person: its rows, count and the lists per partnership."""

    section: Section
    rows: list
    count: int
    lists: list[tuple[Partnership, int, str]]


def read_sections(sections: list[Section], *, user, partnerships: list[Partnership]
                  ) -> list[Block]:
    """Each section's first ROWS rows (a query each) and its count per partnership (one
    query for all the sections: their counts as one UNION ALL). Each row holds its
    partnership from `partnerships`, read with both parties once for the page, rather
    than joining them again per row."""
    ids = [partnership.pk for partnership in partnerships]
    by_id = {partnership.pk: partnership for partnership in partnerships}
    read = [(section, section.rows(user=user, partnerships=ids)) for section in sections]
    counted = [(position, rows.order_by().values("partnership_id").annotate(
        n=Count("pk"), section=Value(position)).values_list("section", "partnership_id", "n"))
        for position, (_section, rows) in enumerate(read) if isinstance(rows, QuerySet)]
    counts: dict[int, Counter] = {position: Counter() for position, _rows in counted}
    if counted:
        first, *others = [query for _position, query in counted]
        for position, partnership_id, n in first.union(*others, all=True):
            counts[position][partnership_id] = n
    blocks = []
    for position, (section, rows) in enumerate(read):
        if isinstance(rows, QuerySet):
            rows = list(rows[:ROWS])
            found = counts[position]
        else:
            found = Counter(row.partnership_id for row in rows)
            rows = rows[:ROWS]
        for row in rows:
            row.partnership = by_id[row.partnership_id]
        lists = [(partnership, found[partnership.pk], section.list_url(partnership.pk))
                 for partnership in partnerships if found.get(partnership.pk)]
        blocks.append(Block(section, rows, sum(found.values()), lists))
    return blocks


class QualityDeskView(LoginRequiredMixin, TemplateView):
    """GET: the desk, for those who act for quality in a partnership at least (a QA lead,
    or a lead where their party seats none); anyone else is told it is for QA leads (403)."""

    template_name = "governance/quality_desk.html"

    def get(self, request, *args, **kwargs):
        partnerships = list(quality_partnerships(request.user))
        if not partnerships:
            return self.render_to_response(self.get_context_data(refused=True), status=403)
        today = timezone.localdate()
        blocks = read_sections(SECTIONS, user=request.user, partnerships=partnerships)
        return self.render_to_response(self.get_context_data(
            partnerships=partnerships, blocks=blocks, today=today, now=timezone.now(),
            rows_per_section=ROWS))


def register() -> None:
    """The desk's link in the top bar, for those it is for (read with the switcher's rows)."""
    navigation.register(navigation.Link(
        "quality_desk", "QA desk", "governance:quality_desk",
        condition=acts_for_quality_here))
