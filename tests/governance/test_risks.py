"""Risk register: owner and milestones in scope, score bands, heat map, filters, API."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from governance.models import Risk
from governance.risks.selectors import risk_heat_map
from governance.risks.services import (
    risk_create,
    risk_review_reminders_send,
    risk_transition,
    risk_update,
)
from partnership.models import Milestone, User
from partnership.notifications.models import Notification

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def make(world, title="Single-source resin", likelihood=3, impact=4, **extra):
    fields = {"category": "supply", "owner": world.bob, **extra}
    return risk_create(actor=world.alice, partnership=world.acme_contoso,
                       title=title, likelihood=likelihood, impact=impact, **fields)


@pytest.mark.parametrize(("likelihood", "impact", "band"), [
    (1, 1, "low"), (2, 2, "low"), (1, 5, "medium"), (3, 3, "medium"), (2, 5, "high"),
    (4, 4, "high"), (4, 5, "critical"), (5, 5, "critical")])
def test_score_bands(likelihood, impact, band):
    assert Risk(likelihood=likelihood, impact=impact).band == band


def test_create_notifies_owner_and_links_a_milestone_of_the_same_partnership(world):
    milestone = Milestone.objects.get(partnership=world.acme_contoso)
    risk = make(world, milestones=[milestone])
    assert list(risk.milestones.all()) == [milestone] and risk.score == 12
    assert Notification.objects.filter(recipient=world.bob, kind="risk_assigned",
                                       url=risk.get_absolute_url()).exists()
    foreign = Milestone.objects.get(partnership=world.globex_contoso)
    with pytest.raises(ValidationError) as error:
        make(world, title="Other", milestones=[foreign])
    assert "milestones" in error.value.message_dict
    assert not Risk.objects.filter(title="Other").exists()


def test_a_shared_risk_points_only_at_milestones_both_parties_see(world, login):
    """A milestone of Acme's internal transfer: Acme's internal risk may name it; a shared
    one may not, nor become shared while it does; Bob never sees it on the page."""
    milestone = Milestone.objects.get(partnership=world.acme_contoso)
    milestone.tech_transfer.__class__.objects.filter(pk=milestone.tech_transfer_id).update(
        is_internal=True)
    with pytest.raises(ValidationError) as error:
        make(world, title="Shared", milestones=[milestone])
    assert "Only a record marked internal" in str(error.value.message_dict["milestones"])
    risk = make(world, title="Internal", milestones=[milestone], is_internal=True,
                owner=world.alice)
    with pytest.raises(ValidationError):
        risk_update(actor=world.alice, risk=risk, is_internal=False)
    assert Risk.objects.get(pk=risk.pk).is_internal
    shared = make(world, title="Visible to Bob")
    shared.milestones.add(milestone)  # as if linked before the transfer became internal
    page = login(world.bob).get(shared.get_absolute_url()).content.decode()
    assert "Visible to Bob" in page and milestone.get_kind_display() not in page


def test_owner_must_hold_a_seat_and_new_owner_is_told(world):
    with pytest.raises(ValidationError) as error:
        make(world, owner=world.carol)  # Contoso, but not in Acme–Contoso
    assert "owner" in error.value.message_dict
    risk = make(world, owner=world.alice)
    Notification.objects.all().delete()
    risk_update(actor=world.alice, risk=risk, owner=world.bob)
    assert Notification.objects.filter(recipient=world.bob, kind="risk_assigned").count() == 1
    risk_update(actor=world.alice, risk=risk, mitigation="Second supplier")
    assert Notification.objects.count() == 1  # unchanged owner: nobody told again


def test_transition_and_viewer_is_refused(world, login):
    risk = make(world)
    risk_transition(actor=world.bob, risk=risk, status="closed")
    risk.refresh_from_db()
    assert risk.status == "closed"
    with pytest.raises(ValidationError):
        risk_transition(actor=world.bob, risk=risk, status="closed")
    url = reverse("governance:risk_transition", args=[world.acme_contoso.pk, risk.pk])
    assert login(world.vera).post(url, {"status": "open"}).status_code == 403
    assert login(world.vera).get(
        reverse("governance:risk_create", args=[world.acme_contoso.pk])).status_code == 403


def internal(world, title="Contoso may be sold", likelihood=1, impact=1):
    """Acme's own assessment of Contoso, which Contoso must never see."""
    return risk_create(actor=world.alice, partnership=world.acme_contoso,
                       title=title, category="strategic", likelihood=likelihood,
                       impact=impact, owner=world.alice, is_internal=True)


def cell(grid, likelihood, impact) -> dict:
    return grid[5 - likelihood]["cells"][impact - 1]


def test_heat_map_counts_open_risks_per_cell(world):
    make(world, "A", 5, 5)
    make(world, "B", 5, 5)
    make(world, "C", 1, 2)
    closed = make(world, "D", 1, 2)
    risk_transition(actor=world.alice, risk=closed, status="closed")
    internal(world, likelihood=1, impact=1)
    grid = risk_heat_map(user=world.alice, partnership=world.acme_contoso)
    assert [row["likelihood"] for row in grid] == [5, 4, 3, 2, 1]
    assert [cell["impact"] for cell in grid[0]["cells"]] == [1, 2, 3, 4, 5]
    corner = grid[0]["cells"][4]
    assert (corner["likelihood"], corner["impact"], corner["count"], corner["band"]) == \
        (5, 5, 2, "critical")
    assert grid[4]["cells"][1]["count"] == 1 and grid[4]["cells"][1]["band"] == "low"
    # The world's own Acme–Contoso risk (4 × 5) counts too, and Acme's internal one for
    # Acme; Globex's never does.
    assert cell(grid, 1, 1)["count"] == 1
    assert sum(cell["count"] for row in grid for cell in row["cells"]) == 5
    # Contoso's map never counts Acme's internal risk: its cell is empty.
    theirs = risk_heat_map(user=world.bob, partnership=world.acme_contoso)
    assert cell(theirs, 1, 1)["count"] == 0
    assert sum(cell["count"] for row in theirs for cell in row["cells"]) == 4


def test_the_other_partys_internal_risk_is_nowhere_to_be_seen(world, login):
    risk = internal(world)
    bob, alice = login(world.bob), login(world.alice)
    url = reverse("governance:risk_list", args=[world.acme_contoso.pk])
    assert "Contoso may be sold" in alice.get(url).content.decode()
    page = bob.get(url).content.decode()
    assert "Contoso may be sold" not in page
    assert "Acme–Contoso supply agreement risk" in page  # the shared one is there
    assert 'aria-label="0 open risks with likelihood 1 and impact 1' in page
    assert "Contoso may be sold" not in bob.get(url, {"q": "sold"}).content.decode()
    assert alice.get(risk.get_absolute_url()).status_code == 200
    assert bob.get(risk.get_absolute_url()).status_code == 404
    edit = reverse("governance:risk_edit", args=[world.acme_contoso.pk, risk.pk])
    assert bob.get(edit).status_code == 404
    api = APIClient()
    api.force_authenticate(world.bob)
    listed = api.get("/api/v1/risks/", {"partnership": world.acme_contoso.pk}).json()
    assert risk.pk not in {row["id"] for row in listed["results"]} and listed["count"] == 1
    assert api.get(f"/api/v1/risks/{risk.pk}/").status_code == 404
    assert api.patch(f"/api/v1/risks/{risk.pk}/", {"title": "x"},
                     format="json").status_code == 404
    assert api.post(f"/api/v1/risks/{risk.pk}/transition/", {"status": "closed"},
                    format="json").status_code == 404


def test_list_page_heat_map_filters_and_bounded_queries(world, login,
                                                         django_assert_max_num_queries):
    for n in range(22):
        make(world, f"Risk {n}", likelihood=n % 5 + 1, impact=(n // 5) % 5 + 1,
             review_date=TODAY - DAY if n == 0 else None)
    client = login(world.bob)
    url = reverse("governance:risk_list", args=[world.acme_contoso.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert "<caption>" in page and 'scope="row"' in page and "Likelihood 5" in page
    assert f"{url}?likelihood=5&amp;impact=5&amp;status=open" in page
    assert "Review overdue" in page
    assert "Globex–Contoso supply agreement risk" not in page
    filtered = client.get(url, {"likelihood": 1, "impact": 1}).content.decode()
    assert "Risk 0<" in filtered and "Risk 1<" not in filtered
    high = client.get(url, {"min_score": 20, "ordering": "-score"}).content.decode()
    assert "Acme–Contoso supply agreement risk" in high and "Risk 0<" not in high
    partial = client.get(url, {"category": "supply"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="results"' in partial and "<caption>" not in partial and "<html" not in partial
    empty = client.get(url, {"q": "nothing like this"}).content.decode()
    assert "No risk matches these filters" in empty


def test_create_and_edit_dialogs(world, login):
    client = login(world.alice)
    url = reverse("governance:risk_create", args=[world.acme_contoso.pk])
    dialog = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Acme–Contoso supply agreement transfer – Handover" in dialog
    assert "Globex" not in dialog and "<html" not in dialog
    response = client.post(url, {"title": "Fill line capacity", "category": "capacity",
                                 "likelihood": 4, "impact": 3, "owner": world.bob.pk})
    risk = Risk.objects.get(title="Fill line capacity")
    assert response.status_code == 302 and risk.score == 12
    bad = client.post(url, {"title": "X", "category": "capacity", "likelihood": 9,
                            "impact": 3, "owner": world.bob.pk}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 200 and "likelihood" in bad.context["form"].errors
    edit = reverse("governance:risk_edit", args=[world.acme_contoso.pk, risk.pk])
    client.post(edit, {"title": "Fill line capacity", "category": "capacity",
                       "likelihood": 2, "impact": 3, "owner": world.bob.pk,
                       "review_date": (TODAY + 7 * DAY).isoformat()})
    risk.refresh_from_db()
    assert risk.likelihood == 2 and risk.review_date == TODAY + 7 * DAY
    detail = login(world.bob).get(risk.get_absolute_url()).content.decode()
    assert "Score 6 · Medium" in detail and ">Close the risk<" in detail


def test_update_changes_the_stored_risk_not_the_callers_copy(world):
    """A ModelForm writes into its instance before the service runs: what the service
    saves and compares must come from the locked row, not from that copy."""
    risk = make(world, owner=world.alice)
    copy = Risk.objects.get(pk=risk.pk)
    copy.title, copy.owner = "Half-edited title", world.bob  # not part of this update
    Notification.objects.all().delete()
    updated = risk_update(actor=world.alice, risk=copy, mitigation="Second source")
    risk.refresh_from_db()
    assert risk.title == "Single-source resin" and risk.owner == world.alice
    assert risk.mitigation == "Second source" and updated.mitigation == "Second source"
    assert not Notification.objects.exists()  # the owner did not change
    risk_update(actor=world.alice, risk=copy, owner=world.bob)
    assert Notification.objects.filter(recipient=world.bob, kind="risk_assigned").count() \
        == 1


def test_heat_map_legend_gives_each_bands_scores(world, login):
    assert Risk.band_ranges() == [("low", "Low", 1, 4), ("medium", "Medium", 5, 9),
                                  ("high", "High", 10, 16), ("critical", "Critical", 20, 25)]
    page = login(world.bob).get(reverse("governance:risk_list",
                                        args=[world.acme_contoso.pk])).content.decode()
    legend = page[page.index("Bands:"):page.index("</caption>")]
    for label, scores in (("Low", "score 1–4"), ("Medium", "5–9"), ("High", "10–16"),
                          ("Critical", "20–25")):
        assert f">{label}</span> {scores}" in legend


def test_foreign_risk_answers_404(world, login):
    foreign = Risk.objects.get(partnership=world.globex_contoso)
    url = reverse("governance:risk_detail", args=[world.acme_contoso.pk, foreign.pk])
    assert login(world.bob).get(url).status_code == 404


def test_review_reminders_are_sent_once_per_review_date(world):
    risk = make(world, review_date=TODAY - DAY)
    Notification.objects.all().delete()
    Risk.objects.exclude(pk=risk.pk).update(review_date=None)  # only hers is due
    assert risk_review_reminders_send(today=TODAY) == 1
    assert risk_review_reminders_send(today=TODAY) == 0
    assert Notification.objects.filter(recipient=world.bob, kind="risk_assigned").count() \
        == 1
    risk_update(actor=world.alice, risk=risk, review_date=TODAY)
    assert risk_review_reminders_send(today=TODAY) == 1  # a new date, a new reminder


def test_api_runs_the_register(world):
    client = APIClient()
    client.force_authenticate(world.alice)
    milestone = Milestone.objects.get(partnership=world.acme_contoso)
    created = client.post("/api/v1/risks/", {
        "partnership": world.acme_contoso.pk, "title": "API risk", "category": "quality",
        "likelihood": 5, "impact": 4, "owner": world.bob.pk, "milestones": [milestone.pk]},
        format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["score"] == 20 and body["band"] == "critical"
    listed = client.get("/api/v1/risks/", {"partnership": world.acme_contoso.pk,
                                           "min_score": 20}).json()["results"]
    assert {row["title"] for row in listed} == {"API risk", "Acme–Contoso supply agreement risk"}
    closed = client.post(f"/api/v1/risks/{body['id']}/transition/", {"status": "closed"},
                         format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert client.post(f"/api/v1/risks/{body['id']}/transition/", {"status": "nope"},
                       format="json").status_code == 400
    foreign_milestone = Milestone.objects.get(partnership=world.globex_contoso)
    bad = client.post("/api/v1/risks/", {
        "partnership": world.acme_contoso.pk, "title": "X", "category": "quality",
        "likelihood": 6, "impact": 4, "owner": world.bob.pk,
        "milestones": [foreign_milestone.pk]}, format="json")
    assert bad.status_code == 400 and {"likelihood", "milestones"} <= set(bad.json())
    viewer = APIClient()
    viewer.force_authenticate(world.vera)
    assert viewer.post("/api/v1/risks/", {
        "partnership": world.acme_contoso.pk, "title": "V", "category": "quality",
        "likelihood": 1, "impact": 1, "owner": world.alice.pk}, format="json"
    ).status_code == 403


def test_admin_pages_of_the_four_records_load_for_operators(world, login):
    operator = User.objects.create_superuser("ops@lockstep.test", "pw")
    client = login(operator)
    for model in ("risk", "notice", "recognition", "surveyresponse", "surveyinvitation",
                  "riskreviewreminder"):
        assert client.get(f"/admin/governance/{model}/").status_code == 200, model
    risk = Risk.objects.get(partnership=world.acme_contoso)
    assert client.get(f"/admin/governance/risk/{risk.pk}/change/").status_code == 200
    assert client.get("/admin/governance/surveyresponse/add/").status_code == 403
