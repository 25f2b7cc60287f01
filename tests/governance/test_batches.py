"""Batches and their disposition: the CDMO records a lot, its QA lead then the sponsor's
review the batch record, the CDMO attaches the CoA, and the sponsor's QA lead (its lead
where it seats none) signs the disposition — each step by the right party and from the
right state only, on the pages and the API, with their SQL queries pinned."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import Batch
from governance.quality.batches import selectors, services
from partnership.models import Membership, Site
from partnership.notifications.models import Notification
from partnership.signatures.services import sign
from tests.factories import PASSWORD, PDF, MembershipFactory, UserFactory
from tests.partnership.test_api import api

MADE = datetime.date(2026, 9, 14)


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


@pytest.fixture
def cast(world):
    """Quinn, Acme's QA lead, and Rita, Contoso's QA lead, in Acme–Contoso (Alice is
    Acme's lead, Bob a Contoso member)."""
    world.quinn = UserFactory(email="quinn@acme.test", first_name="Quinn",
                              last_name="Acmeson", organization=world.acme)
    world.rita = UserFactory(email="rita@contoso.test", first_name="Rita",
                             last_name="Contososon", organization=world.contoso)
    MembershipFactory(partnership=world.acme_contoso, user=world.quinn,
                      role=Membership.Role.QA_LEAD)
    MembershipFactory(partnership=world.acme_contoso, user=world.rita,
                      role=Membership.Role.QA_LEAD)
    world.boston = Site.objects.get(name="Contoso Boston")
    return world


def record(world, actor=None, **extra) -> Batch:
    fields = {"program": world.acme_program, "site": world.boston, "lot_number": "ACM-DS-0412",
              "stage": "drug_substance", "manufactured_on": MADE, **extra}
    return services.batch_record(actor=actor or world.bob, partnership=world.acme_contoso,
                                 **fields)


def coa(name="CoA ACM-DS-0412.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def reviewed(world, batch, with_coa=True) -> Batch:
    batch = services.batch_cdmo_review(actor=world.rita, batch=batch,
                                       note="Executed record complete; 2 GDP corrections.")
    batch = services.batch_sponsor_review(actor=world.quinn, batch=batch,
                                          note="Reviewed remotely, no comments.")
    if with_coa:
        services.batch_certificate_attach(actor=world.bob, batch=batch, file=coa())
    return batch


def dispose(world, batch, event, actor=None):
    return sign(actor=actor or world.quinn, record=batch, event=event, meaning="approval",
                password=PASSWORD)


def refused(call, error=ValidationError) -> Exception:
    with pytest.raises(error) as caught:
        call()
    return caught.value


# --- Services --------------------------------------------------------------------------

def test_the_cdmo_records_its_lots_and_its_qa_lead_hears_of_it(cast):
    batch = record(cast)
    assert batch.status == "manufactured" and batch.author_organization == cast.contoso
    assert Notification.objects.filter(recipient=cast.rita, kind="batch_review").exists()
    for person in (cast.alice, cast.quinn, cast.vera):
        refused(lambda person=person: record(cast, actor=person, lot_number="X-1"),
                PermissionDenied)
    assert not Batch.objects.filter(lot_number="X-1").exists()


@pytest.mark.parametrize(("fields", "field"), [
    ({"lot_number": "acm-ds-0412"}, "lot_number"),  # the same lot, whatever its case
    ({"site": "acme"}, "site"),
    ({"program": "internal"}, "program"),
    ({"manufactured_on": "future"}, "manufactured_on"),
])
def test_bad_lots_are_refused_by_field(cast, fields, field):
    record(cast)
    values = {"acme": Site.objects.get(name="Acme Basel"),
              "internal": cast.acme_internal_program,
              "future": timezone.localdate() + datetime.timedelta(days=2)}
    fields = {name: values.get(value, value) for name, value in fields.items()}
    error = refused(lambda: record(cast, **{"lot_number": "ACM-DS-0413", **fields}))
    assert field in error.message_dict
    assert Batch.objects.filter(partnership=cast.acme_contoso).count() == 2  # world's + one


def test_a_lot_number_is_unique_only_within_its_partnership(cast):
    record(cast)
    other = services.batch_record(
        actor=cast.carol, partnership=cast.globex_contoso, program=cast.globex_program,
        site=cast.boston, lot_number="ACM-DS-0412", stage="drug_product",
        manufactured_on=MADE)
    assert other.partnership == cast.globex_contoso


def test_reviews_go_cdmo_then_sponsor_each_by_its_qa_lead(cast):
    batch = record(cast)
    error = refused(lambda: services.batch_sponsor_review(actor=cast.quinn, batch=batch,
                                                          note="Too early"))
    assert "status" in error.message_dict
    for person in (cast.bob, cast.quinn):  # a CDMO member; the other party's QA lead
        refused(lambda person=person: services.batch_cdmo_review(
            actor=person, batch=batch, note="Mine?"))
    assert "note" in refused(lambda: services.batch_cdmo_review(
        actor=cast.rita, batch=batch, note="  ")).message_dict
    batch = services.batch_cdmo_review(actor=cast.rita, batch=batch, note="Complete.")
    assert (batch.status, batch.cdmo_reviewed_by) == ("cdmo_reviewed", cast.rita)
    assert Notification.objects.filter(recipient=cast.quinn, kind="batch_review").exists()
    # The lot keeps its particulars once reviewed.
    refused(lambda: services.batch_update(actor=cast.bob, batch=batch, lot_number="Y"))
    # Acme seats a QA lead (Quinn): its lead Alice does not review for it.
    refused(lambda: services.batch_sponsor_review(actor=cast.alice, batch=batch, note="x"))
    batch = services.batch_sponsor_review(actor=cast.quinn, batch=batch, note="Fine.")
    assert batch.status == "sponsor_reviewed" and batch.sponsor_reviewed_at is not None
    # No CoA yet: the CDMO is asked for it.
    assert Notification.objects.filter(recipient=cast.rita, kind="batch_review",
                                       title__contains="certificate").exists()


def test_release_needs_both_reviews_and_a_coa_and_is_signed_by_the_sponsors_qa_lead(cast):
    batch = record(cast)
    refused(lambda: dispose(cast, batch, "released"))  # not reviewed
    batch = reviewed(cast, batch, with_coa=False)
    error = refused(lambda: dispose(cast, batch, "released"))
    assert "certificate" in str(error)
    refused(lambda: services.batch_certificate_attach(actor=cast.quinn, batch=batch,
                                                      file=coa()), PermissionDenied)
    bad = refused(lambda: services.batch_certificate_attach(
        actor=cast.bob, batch=batch, file=coa(content=b"MZ\x90\x00" + b"\x00" * 64)))
    assert "file" in bad.message_dict
    services.batch_certificate_attach(actor=cast.bob, batch=batch, file=coa())
    for person in (cast.alice, cast.rita):  # Acme's lead, with a QA lead seated; the CDMO
        refused(lambda person=person: dispose(cast, batch, "released", actor=person),
                PermissionDenied)
    dispose(cast, batch, "released")
    batch.refresh_from_db()
    assert (batch.status, batch.disposed_by, batch.quarantined_at) == \
        ("released", cast.quinn, None)
    assert Notification.objects.filter(recipient=cast.rita, kind="batch_disposition",
                                       title__contains="released").exists()
    # Final: no other disposition, no more certificates.
    refused(lambda: dispose(cast, batch, "quarantined"))
    refused(lambda: services.batch_certificate_attach(actor=cast.bob, batch=batch,
                                                      file=coa()))


def test_a_quarantined_lot_is_later_released_or_rejected(cast):
    held = reviewed(cast, record(cast))
    dispose(cast, held, "quarantined")
    held.refresh_from_db()
    assert held.status == "quarantined" and held.quarantined_at is not None
    dispose(cast, held, "rejected")
    held.refresh_from_db()
    assert held.status == "rejected" and held.quarantined_at is not None


def test_where_the_sponsor_seats_no_qa_lead_its_lead_disposes(world):
    """Acme–Contoso of the bare world: Alice, Acme's lead, and no QA lead."""
    batch = Batch.objects.get(partnership=world.acme_contoso)
    assert batch.dispositions_for(world.alice) == ["released", "rejected", "quarantined"]
    sign(actor=world.alice, record=batch, event="quarantined", meaning="approval",
         password=PASSWORD)
    batch.refresh_from_db()
    assert batch.status == "quarantined"


def test_right_first_time_and_lot_acceptance_per_period(cast):
    lots = [reviewed(cast, record(cast, lot_number=f"ACM-DS-05{n}")) for n in range(4)]
    dispose(cast, lots[0], "released")
    dispose(cast, lots[1], "quarantined")
    dispose(cast, lots[1], "released")
    dispose(cast, lots[2], "rejected")
    dispose(cast, lots[3], "quarantined")  # not finally disposed of: not counted
    today = timezone.localdate()
    rates = selectors.batch_quality_rates(user=cast.quinn, partnership=cast.acme_contoso,
                                          start=today, end=today)
    assert rates == {"disposed": 3, "released": 2, "rejected": 1, "right_first_time": 1,
                     "right_first_time_rate": 33.3, "acceptance_rate": 66.7}
    earlier = today - datetime.timedelta(days=30)
    assert selectors.batch_quality_rates(
        user=cast.quinn, partnership=cast.acme_contoso, start=earlier,
        end=earlier)["acceptance_rate"] is None


# --- Pages -----------------------------------------------------------------------------

def test_each_party_sees_its_buttons_and_the_dialogs_post(cast, login):
    batch = record(cast)
    page = login(cast.rita).get(batch.get_absolute_url()).content.decode()
    assert "Record the CDMO&#x27;s batch record review" in page and "Edit the lot" in page
    assert "Edit the lot" not in login(cast.quinn).get(batch.get_absolute_url()).content.decode()
    step = reverse("governance:batch_step", args=[cast.acme_contoso.pk, batch.pk,
                                                  "cdmo_review"])
    assert login(cast.quinn).post(step, {"note": "Mine"}).status_code == 200  # refused
    assert login(cast.rita).post(step, {"note": "Complete."}).status_code == 302
    step = reverse("governance:batch_step", args=[cast.acme_contoso.pk, batch.pk,
                                                  "sponsor_review"])
    assert login(cast.quinn).post(step, {"note": "Fine."}).status_code == 302
    attach = reverse("governance:batchcertificate_create", args=[cast.acme_contoso.pk,
                                                                 batch.pk])
    assert login(cast.bob).post(attach, {"file": coa()}).status_code == 302
    page = login(cast.quinn).get(batch.get_absolute_url()).content.decode()
    assert "Release (sign)" in page and "Quarantine (sign)" in page
    certificate = Batch.objects.get(pk=batch.pk).certificates.get()
    assert login(cast.alice).get(certificate.get_absolute_url()).status_code == 200
    assert login(cast.dave).get(certificate.get_absolute_url()).status_code == 404
    listed = login(cast.alice).get(reverse("governance:batch_list",
                                           args=[cast.acme_contoso.pk]),
                                   {"status": "sponsor_reviewed"}).content.decode()
    assert "ACM-DS-0412" in listed


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more_lots(cast, count, start):
    for n in range(start, start + count):
        batch = record(cast, lot_number=f"ACM-DP-{n:04}", stage="drug_product")
        services.batch_certificate_attach(actor=cast.bob, batch=batch, file=coa())


def test_pages_and_api_keep_their_number_of_queries_whatever_the_data(cast, login):
    client, rest = login(cast.quinn), api(cast.quinn)
    list_url = reverse("governance:batch_list", args=[cast.acme_contoso.pk])
    batch = Batch.objects.get(partnership=cast.acme_contoso)
    _more_lots(cast, 2, 0)
    _queries(rest, "/api/v1/batches/")  # the content types' cache, filled once
    small = (_queries(client, list_url), _queries(client, batch.get_absolute_url()),
             _queries(rest, "/api/v1/batches/"))
    _more_lots(cast, 10, 100)
    large = (_queries(client, list_url), _queries(client, batch.get_absolute_url()),
             _queries(rest, "/api/v1/batches/"))
    assert large == small
    assert small == (9, 20, 4)  # list; detail with its three dispositions, its deviations
    # (and whether they hold the release) and History; API


# --- API -------------------------------------------------------------------------------

def test_api_records_reviews_attaches_and_disposes(cast):
    body = {"partnership": cast.acme_contoso.pk, "program": cast.acme_program.pk,
            "site": cast.boston.pk, "lot_number": "ACM-FP-0007", "stage": "finished_pack",
            "manufactured_on": MADE.isoformat()}
    assert api(cast.alice).post("/api/v1/batches/", body, format="json").status_code == 403
    created = api(cast.bob).post("/api/v1/batches/", body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    again = api(cast.bob).post("/api/v1/batches/", body, format="json")
    assert again.status_code == 400 and "lot_number" in again.json()
    assert api(cast.rita).get(f"/api/v1/batches/{pk}/").json()["steps"] == ["cdmo_review"]
    assert api(cast.quinn).post(f"/api/v1/batches/{pk}/cdmo-review/", {"note": "x"},
                                format="json").status_code == 400
    assert api(cast.vera).post(f"/api/v1/batches/{pk}/cdmo-review/", {"note": "x"},
                               format="json").status_code == 403
    reviewed_ = api(cast.rita).post(f"/api/v1/batches/{pk}/cdmo-review/",
                                    {"note": "Complete."}, format="json")
    assert reviewed_.status_code == 200 and reviewed_.json()["status"] == "cdmo_reviewed"
    api(cast.quinn).post(f"/api/v1/batches/{pk}/sponsor-review/", {"note": "Fine."},
                         format="json")
    early = api(cast.quinn).post(f"/api/v1/batches/{pk}/sign/", {
        "event": "released", "meaning": "approval", "password": PASSWORD}, format="json")
    assert early.status_code == 400
    attached = api(cast.bob).post(f"/api/v1/batches/{pk}/certificates/", {"file": coa()},
                                  format="multipart")
    assert attached.status_code == 201 and attached.json()["certificates"][0]["sha256"]
    detail = api(cast.quinn).get(f"/api/v1/batches/{pk}/").json()
    assert detail["dispositions"] == ["released", "rejected", "quarantined"]
    signed = api(cast.quinn).post(f"/api/v1/batches/{pk}/sign/", {
        "event": "released", "meaning": "approval", "password": PASSWORD}, format="json")
    assert signed.status_code == 201
    assert api(cast.rita).get(f"/api/v1/batches/{pk}/").json()["status"] == "released"
