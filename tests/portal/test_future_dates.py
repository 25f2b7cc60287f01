"""Dates of work still to be done lie ahead, on every kind that has one: a deliverable's,
a CAPA's and a finding's response due date, a change's proposed implementation date, the
next review of a risk or an objective, an audit's planned days, a tech-transfer milestone's
planned date. In the form and the API a
past date is refused with the field's error and nothing saved; today is accepted; an edit
keeps the record's own old date but cannot move it into the past. Where a record is
legitimately entered after the fact (a deliverable of a SOW executed before the portal, an
audit already held, a milestone reached before its transfer was entered) "This records the
past" lets a past date through.

Each kind's body is the world's record as its writer reads it through the API (so a new
field of the kind needs no change here), with its dates and its unique fields replaced."""

import datetime
from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from governance.models import Audit, Capa, ChangeControl, Finding, Risk
from partnership.models import Deliverable, Membership, Objective, ObjectiveReview, Site
from partnership.techtransfer.services import tech_transfer_create
from portal.validation import PAST_DATE
from tests.clock import api_today, today
from tests.factories import MembershipFactory, UserFactory
from tests.partnership.test_api import api

DAY = datetime.timedelta(days=1)


@pytest.fixture
def world(saved_world):
    """With Quinn and Rita, the QA leads of Acme and Contoso in Acme–Contoso: audits are
    theirs to plan."""
    saved_world.quinn = UserFactory(email="quinn@acme.test", organization=saved_world.acme)
    saved_world.rita = UserFactory(email="rita@contoso.test", organization=saved_world.contoso)
    for person in (saved_world.quinn, saved_world.rita):
        MembershipFactory(partnership=saved_world.acme_contoso, user=person,
                          role=Membership.Role.QA_LEAD)
    return saved_world


@dataclass
class Kind:
    model: type
    prefix: str  # its API resource
    dates: tuple[str, ...]  # the dates that lie ahead
    create: str  # its create page
    edit: str  # its edit page
    writer: str  # who writes it in Acme–Contoso
    text: str = "title"  # a field an edit changes besides
    confirmable: bool = False  # "This records the past" lets a past date through
    unique: dict = field(default_factory=dict)  # fields a copy must not repeat
    extra: dict = field(default_factory=dict)  # {field: world -> value} a copy needs

    def __str__(self) -> str:
        return self.model.__name__

    def row(self, world):
        return self.model.objects.visible_to(getattr(world, self.writer)).filter(
            partnership=world.acme_contoso).order_by("pk").first()

    def page_args(self, world, record=None) -> list[int]:
        """The page's URL arguments: a finding's pages sit under its audit's."""
        args = [world.acme_contoso.pk]
        if self.model is Finding:
            args.append((record or self.row(world)).audit_id)
        return args if record is None else [*args, record.pk]


KINDS = [
    Kind(Deliverable, "deliverables", ("due_date",), "partnership:deliverable_create",
         "partnership:deliverable_edit", "alice", confirmable=True),
    Kind(Capa, "capas", ("due_date",), "governance:capa_create", "governance:capa_edit",
         "bob"),
    Kind(Finding, "findings", ("response_due",), "governance:finding_create",
         "governance:finding_edit", "alice"),
    Kind(ChangeControl, "change-controls", ("proposed_on",),
         "governance:changecontrol_create", "governance:changecontrol_edit", "bob",
         unique={"reference": "CC-AHEAD-{n}"},
         # The world's change names no program (tests/world.py): a writer's names one.
         extra={"program": lambda world: world.acme_program.pk}),
    Kind(Risk, "risks", ("review_date",), "governance:risk_create", "governance:risk_edit",
         "alice"),
    Kind(Objective, "objectives", ("review_date",), "partnership:objective_create",
         "partnership:objective_edit", "alice"),
    Kind(Audit, "audits", ("planned_start", "planned_end"), "governance:audit_create",
         "governance:audit_edit", "quinn", text="scope", confirmable=True),
]
COUNTER = iter(range(1, 10_000))


def body(kind: Kind, world, day: datetime.date, record=None) -> dict:
    """The record as its writer reads it, with `day` as each of its dates: a copy of the
    world's (with fresh unique fields), for a new record, or `record`, for its edit."""
    row = record or kind.row(world)
    data = dict(api(getattr(world, kind.writer)).get(f"/api/v1/{kind.prefix}/{row.pk}/").json())
    data.pop("id", None)
    data.update({name: day.isoformat() for name in kind.dates})
    if record is None:
        n = next(COUNTER)
        data.update({name: pattern.format(n=n) for name, pattern in kind.unique.items()})
        data.update({name: value(world) for name, value in kind.extra.items()})
    return data


def form_data(data: dict) -> dict:
    """The same as a page's form posts it: no empty values, unticked boxes left out, ids of
    many-to-many fields listed, nested read-only parts (signatures) dropped."""
    return {key: value for key, value in data.items()
            if value not in (None, False, "") and not isinstance(value, dict)
            and not (isinstance(value, list) and value and isinstance(value[0], dict))}


def create_url(kind: Kind, world) -> str:
    return reverse(kind.create, args=kind.page_args(world))


def created(kind: Kind, world, day: datetime.date):
    """A new record of the kind, with `day` as its dates, through the API."""
    answer = api(getattr(world, kind.writer)).post(f"/api/v1/{kind.prefix}/",
                                                    body(kind, world, day), format="json")
    assert answer.status_code == 201, answer.json()
    return kind.model.objects.get(pk=answer.json()["id"])


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_a_past_date_is_refused_by_the_api_and_today_accepted(world, kind):
    client = api(getattr(world, kind.writer))
    before = kind.model.objects.count()
    answer = client.post(f"/api/v1/{kind.prefix}/", body(kind, world, api_today() - DAY),
                         format="json")
    assert answer.status_code == 400
    errors = answer.json()
    assert all(PAST_DATE in " ".join(errors[name]) for name in kind.dates), errors
    assert kind.model.objects.count() == before
    answer = client.post(f"/api/v1/{kind.prefix}/", body(kind, world, api_today()), format="json")
    assert answer.status_code == 201, answer.json()
    answer = client.post(f"/api/v1/{kind.prefix}/", body(kind, world, api_today() + 30 * DAY),
                         format="json")
    assert answer.status_code == 201, answer.json()
    assert kind.model.objects.count() == before + 2


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_a_past_date_is_refused_by_the_form_and_today_accepted(world, login, kind):
    client = login(getattr(world, kind.writer))
    before = kind.model.objects.count()
    answer = client.post(create_url(kind, world), form_data(body(kind, world, today() - DAY)))
    assert answer.status_code == 200
    errors = answer.context["form"].errors
    assert all(PAST_DATE in " ".join(errors[name]) for name in kind.dates), errors
    assert kind.model.objects.count() == before
    answer = client.post(create_url(kind, world), form_data(body(kind, world, today())))
    assert answer.status_code == 302, answer.context["form"].errors
    assert kind.model.objects.count() == before + 1


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_an_edit_keeps_an_old_date_but_cannot_move_it_into_the_past(world, login, kind):
    record = created(kind, world, api_today() + 3 * DAY)
    old = api_today() - 5 * DAY
    kind.model.objects.filter(pk=record.pk).update(**dict.fromkeys(kind.dates, old))  # time passed
    client = api(getattr(world, kind.writer))
    url = f"/api/v1/{kind.prefix}/{record.pk}/"
    kept = client.patch(url, {kind.text: "Renamed", **dict.fromkeys(kind.dates, old.isoformat())},
                        format="json")
    assert kept.status_code == 200, kept.json()
    assert client.patch(url, {kind.text: "Renamed again"}, format="json").status_code == 200
    moved = client.patch(url, dict.fromkeys(kind.dates, (old + DAY).isoformat()), format="json")
    assert moved.status_code == 400 and set(kind.dates) <= set(moved.json()), moved.json()
    # The page's edit form: the same.
    edit = reverse(kind.edit, args=kind.page_args(world, record))
    data = form_data(body(kind, world, old, record=record))
    client = login(getattr(world, kind.writer))
    answer = client.post(edit, {**data, kind.text: "Renamed on the page"})
    assert answer.status_code == 302, answer.context["form"].errors
    answer = client.post(edit, {**data, **dict.fromkeys(kind.dates, (old + DAY).isoformat())})
    assert answer.status_code == 200
    assert all(name in answer.context["form"].errors for name in kind.dates)
    record.refresh_from_db()
    assert [getattr(record, name) for name in kind.dates] == [old] * len(kind.dates)


@pytest.mark.parametrize("kind", [kind for kind in KINDS if kind.confirmable], ids=str)
def test_a_record_entered_after_the_fact_records_the_past(world, login, kind):
    past = api_today() - 40 * DAY
    client = api(getattr(world, kind.writer))
    answer = client.post(f"/api/v1/{kind.prefix}/", body(kind, world, past), format="json")
    assert answer.status_code == 400 and "tick" in str(answer.json())
    answer = client.post(f"/api/v1/{kind.prefix}/", {**body(kind, world, past),
                                                     "records_past": True}, format="json")
    assert answer.status_code == 201, answer.json()
    assert "records_past" not in answer.json()
    record = kind.model.objects.get(pk=answer.json()["id"])
    assert [getattr(record, name) for name in kind.dates] == [past] * len(kind.dates)
    page = login(getattr(world, kind.writer))
    assert "This records the past" in page.get(create_url(kind, world)).content.decode()
    before = kind.model.objects.count()
    answer = page.post(create_url(kind, world), {**form_data(body(kind, world, past)),
                                                 "records_past": "on"})
    assert answer.status_code == 302, answer.context["form"].errors
    assert kind.model.objects.count() == before + 1


def test_the_kinds_without_records_past_offer_no_box(world):
    for kind in KINDS:
        data = {**body(kind, world, api_today() - DAY), "records_past": True}
        answer = api(getattr(world, kind.writer)).post(f"/api/v1/{kind.prefix}/", data,
                                                        format="json")
        assert (answer.status_code == 201) == kind.confirmable, (kind, answer.json())


def test_an_objective_review_sets_the_next_review_ahead(world, login):
    objective = Objective.objects.filter(partnership=world.acme_contoso,
                                         is_internal=False).order_by("pk").first()
    before = ObjectiveReview.objects.count()
    answer = api(world.alice).post("/api/v1/objective-reviews/", {
        "objective": objective.pk, "status": "on_track", "note": "Fine.",
        "next_review_date": (api_today() - DAY).isoformat()}, format="json")
    assert answer.status_code == 400 and "next_review_date" in answer.json()
    url = reverse("partnership:objectivereview_create",
                  args=[world.acme_contoso.pk, objective.pk])
    answer = login(world.alice).post(url, {"status": "on_track", "note": "Fine.",
                                           "next_review_date": (api_today() - DAY).isoformat()})
    assert answer.status_code == 200 and "next_review_date" in answer.context["form"].errors
    assert ObjectiveReview.objects.count() == before
    answer = api(world.alice).post("/api/v1/objective-reviews/", {
        "objective": objective.pk, "status": "on_track", "note": "Fine.",
        "next_review_date": api_today().isoformat()}, format="json")
    assert answer.status_code == 201, answer.json()


def test_an_audit_is_postponed_to_days_ahead(world, login):
    quinn, day = world.quinn, api_today()
    audit = created(KINDS[-1], world, day + 10 * DAY)
    past = {"planned_start": (day - DAY).isoformat(), "planned_end": day.isoformat(),
            "reason": "The site asked."}
    answer = api(quinn).post(f"/api/v1/audits/{audit.pk}/postpone/", past, format="json")
    assert answer.status_code == 400 and "planned_start" in answer.json()
    url = reverse("governance:audit_plan_change",
                  args=[world.acme_contoso.pk, audit.pk, "postpone"])
    answer = login(quinn).post(url, past)
    assert answer.status_code == 200 and "planned_start" in answer.context["form"].errors
    audit.refresh_from_db()
    assert audit.planned_start == day + 10 * DAY
    answer = api(quinn).post(f"/api/v1/audits/{audit.pk}/postpone/", {
        **past, "planned_start": day.isoformat()}, format="json")
    assert answer.status_code == 200, answer.json()


def test_a_milestone_is_planned_ahead_unless_it_records_the_past(world, login):
    transfer = tech_transfer_create(
        actor=world.alice, partnership=world.acme_contoso, program=world.acme_program,
        site=Site.objects.get(name="Contoso Boston"), title="Acmezumab into Boston")
    milestone = transfer.milestones.get(kind="ppq")
    client, url = api(world.bob), f"/api/v1/milestones/{milestone.pk}/"
    past = (api_today() - 20 * DAY).isoformat()
    answer = client.patch(url, {"planned_date": past}, format="json")
    assert answer.status_code == 400 and "tick" in " ".join(answer.json()["planned_date"])
    page = login(world.bob)
    edit = reverse("partnership:milestone_edit",
                   args=[world.acme_contoso.pk, transfer.pk, milestone.pk])
    answer = page.post(edit, {"planned_date": past})
    assert answer.status_code == 200 and "planned_date" in answer.context["form"].errors
    milestone.refresh_from_db()
    assert milestone.planned_date is None
    assert client.patch(url, {"planned_date": api_today().isoformat()},
                        format="json").status_code == 200
    # Reached before the transfer was entered: its plan and its day, both past.
    answer = page.post(edit, {"planned_date": past, "actual_date": past, "records_past": "on"})
    assert answer.status_code == 302, answer.context["form"].errors
    answer = client.patch(url, {"note": "On plan"}, format="json")  # its old plan is kept
    assert answer.status_code == 200, answer.json()
    answer = client.patch(url, {"planned_date": (api_today() - 21 * DAY).isoformat(),
                                "records_past": True}, format="json")
    assert answer.status_code == 200 and "records_past" not in answer.json()
