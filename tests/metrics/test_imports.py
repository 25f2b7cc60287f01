"""Spreadsheet imports of KPI values: a good CSV and a good XLSX become drafts (or change
the drafts already there); a file with errors imports nothing and names each error's row
and field; a file that is no spreadsheet is refused at upload; the job runs exactly once,
also when delivered twice; the import's page polls its progress fragment until the job is
done; the API answers 202 and shows the progress; and the mends of evidence upload through
the API and of the edit pages' refusals."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from metrics.imports import services
from metrics.imports.models import KPIImport
from metrics.imports.tasks import run_kpi_import_task
from metrics.measurements import services as measurement_services
from metrics.measurements.models import KPIMeasurement
from metrics.periods import previous_period
from partnership.models import Membership
from tests.factories import PDF
from tests.metrics.helpers import LAST_MONTH, add_cast, agreed_kpi
from tests.partnership.test_api import api

BEFORE = previous_period(LAST_MONTH, "monthly")
HEADER = "KPI key,Period,Value,Numerator,Denominator,Comment\n"


@pytest.fixture
def world(saved_world):
    return add_cast(saved_world)


def csv_file(*lines: str, name="values.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + "".join(f"{line}\n" for line in lines)).encode(),
                              "text/csv")


def xlsx_file(rows, name="values.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["KPI key", "Period", "Value", "Numerator", "Denominator", "Comment"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue(), "application/octet-stream")


def month(day: datetime.date) -> str:
    return f"{day:%Y-%m}"


def imported(world, upload, actor=None) -> KPIImport:
    kpi_import = services.kpi_import_create(actor=actor or world.bob,
                                            partnership=world.acme_contoso, file=upload)
    services.kpi_import_run(import_id=kpi_import.pk)
    kpi_import.refresh_from_db()
    return kpi_import


def values_of(world, key="on-time-delivery"):
    return KPIMeasurement.objects.filter(partnership=world.acme_contoso, key=key)


def test_a_good_csv_becomes_drafts_through_the_page(world, login,
                                                    django_capture_on_commit_callbacks):
    definition = agreed_kpi(world)
    client = login(world.bob)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("metrics:kpiimport_create", args=[world.acme_contoso.pk]),
                               {"file": csv_file(f"on-time-delivery,{month(LAST_MONTH)},92,23,25,"
                                                 "Two late lots",
                                                 f"on-time-delivery,{BEFORE:%Y-%m-%d},100,,,")})
    kpi_import = KPIImport.objects.get(partnership=world.acme_contoso, uploaded_by=world.bob,
                                       status="queued")
    assert response.status_code == 302 and response["Location"] == kpi_import.get_absolute_url()
    assert len(queued) == 1  # the job, queued once the upload is committed
    assert kpi_import.content_type == "text/csv" and kpi_import.sha256
    services.kpi_import_run(import_id=kpi_import.pk)
    kpi_import.refresh_from_db()
    assert (kpi_import.status, kpi_import.rows_total, kpi_import.rows_done) == ("done", 2, 2)
    rows = {row.period: row for row in values_of(world)}
    assert rows[LAST_MONTH].value == Decimal(92) and rows[LAST_MONTH].comment == "Two late lots"
    assert rows[BEFORE].value == Decimal(100) and rows[BEFORE].numerator is None
    assert {row.status for row in rows.values()} == {"draft"}
    assert {row.definition_id for row in rows.values()} == {definition.pk}
    assert sorted(kpi_import.values) == sorted(row.pk for row in rows.values())
    page = client.get(kpi_import.get_absolute_url()).content.decode()
    assert "2 values entered as drafts" in page and rows[LAST_MONTH].get_absolute_url() in page


def test_a_file_with_only_its_header_imports_nothing_and_says_so(world, login):
    agreed_kpi(world)
    for upload in (csv_file(), xlsx_file([])):
        kpi_import = imported(world, upload)
        assert (kpi_import.status, kpi_import.rows_total, kpi_import.values) == (
            "failed", 0, [])
        assert [error["field"] for error in kpi_import.errors] == ["file"]
        page = login(world.bob).get(kpi_import.get_absolute_url()).content.decode()
        assert "no rows of values" in page and "Nothing was imported" in page
    assert not values_of(world).exists()


def test_the_imported_drafts_are_submitted_then_shared_at_once(world, login):
    definition = agreed_kpi(world)
    kpi_import = imported(world, csv_file(f"on-time-delivery,{month(LAST_MONTH)},92,23,25,",
                                          f"on-time-delivery,{month(BEFORE)},100,,,"))
    client = login(world.bob)
    page = client.get(kpi_import.get_absolute_url()).content.decode()
    assert "Submit all 2 drafts" in page and "Submit and share all 2 for review" in page
    step = reverse("metrics:kpiimport_values_step", args=[world.acme_contoso.pk, kpi_import.pk])
    assert client.post(step, {"step": "submit"}).status_code == 302
    assert {value.status for value in values_of(world)} == {"submitted"}
    page = client.get(kpi_import.get_absolute_url()).content.decode()
    assert "2 values submitted." in page and "Submit all" not in page
    assert "Share all 2 for review" in page
    # Alice (the sponsor, reviewing party) sees the import's page of neither party's button
    # and may not take the step; a viewer is refused before any lookup.
    assert login(world.alice).post(step, {"step": "share"}).status_code == 404
    assert login(world.vera).post(step, {"step": "share"}).status_code in (403, 404)
    client.post(step, {"step": "share"})
    assert {value.status for value in values_of(world)} == {"shared"}
    assert {value.review_until is not None for value in values_of(world)} == {True}
    page = client.get(kpi_import.get_absolute_url()).content.decode()
    assert "2 values shared for review." in page and 'data-testid="import-next-step"' not in page
    assert client.post(step, {"step": "share"}).status_code == 302  # nothing left: a message
    assert "No value of this import is left" in client.get(
        kpi_import.get_absolute_url()).content.decode()
    assert definition.pk  # the values stay under the agreed definition


def test_only_the_reporting_partys_writers_take_the_step_and_only_its_drafts(world):
    agreed_kpi(world)
    kpi_import = imported(world, csv_file(f"on-time-delivery,{month(LAST_MONTH)},92,23,25,",
                                          f"on-time-delivery,{month(BEFORE)},100,,,"))
    other = values_of(world).get(period=BEFORE)
    Membership.objects.filter(user=world.bob, partnership=world.acme_contoso).update(
        role=Membership.Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.kpi_import_values_step(actor=world.bob, kpi_import=kpi_import, step="submit")
    Membership.objects.filter(user=world.bob, partnership=world.acme_contoso).update(
        role=Membership.Role.MEMBER)
    KPIMeasurement.objects.filter(pk=other.pk).update(status="submitted")
    with pytest.raises(ValidationError) as refused:
        services.kpi_import_values_step(actor=world.bob, kpi_import=kpi_import, step="bogus")
    assert "step" in refused.value.message_dict
    services.kpi_import_values_step(actor=world.bob, kpi_import=kpi_import, step="submit")
    assert {value.status for value in values_of(world)} == {"submitted"}


def test_only_those_who_may_import_are_shown_the_imports(world, login):
    """The KPIs page's "Spreadsheet imports" follows the rule that guards the import: the
    reporting party's writers (Bob), not the reviewing party's lead (Alice) nor a viewer
    (Vera)."""
    agreed_kpi(world)
    kpis = reverse("metrics:kpidefinition_list", args=[world.acme_contoso.pk])
    imports = reverse("metrics:kpiimport_list", args=[world.acme_contoso.pk])
    assert imports in login(world.bob).get(kpis).content.decode()
    for person in (world.alice, world.vera):
        page = login(person).get(kpis).content.decode()
        assert "Spreadsheet imports" not in page and imports not in page


def test_a_good_xlsx_enters_values_and_changes_a_draft(world):
    definition = agreed_kpi(world)
    draft = measurement_services.kpi_measurement_create(
        actor=world.bob, definition=definition, period=BEFORE, value=Decimal(50))
    kpi_import = imported(world, xlsx_file([
        ["on-time-delivery", datetime.datetime(LAST_MONTH.year, LAST_MONTH.month, 1), 96, 24, 25,
         None],
        ["on-time-delivery", month(BEFORE), 88, None, None, "Corrected count"]]))
    assert kpi_import.status == "done", kpi_import.errors
    draft.refresh_from_db()
    assert draft.value == Decimal(88) and draft.comment == "Corrected count"
    assert values_of(world).get(period=LAST_MONTH).value == Decimal(96)


def test_a_file_with_errors_imports_nothing_and_names_rows_and_fields(world, login):
    agreed_kpi(world)
    shared = values_of(world, key="delivery").get()  # the world's value, shared for review
    kpi_import = imported(world, csv_file(
        f"on-time-delivery,{month(LAST_MONTH)},92,23,25,fine",   # row 2: good
        f"no-such-kpi,{month(BEFORE)},1,,,",                     # row 3
        "on-time-delivery,last month,90,,,",                     # row 4
        f"on-time-delivery,{month(BEFORE)},80,23,25,",           # row 5: 23/25 is 92 %
        f"on-time-delivery,{month(LAST_MONTH)},93,,,",           # row 6: same as row 2
        f"delivery,{shared.period:%Y-%m},91,,,",                 # row 7: not a draft
        f"on-time-delivery,{timezone.localdate():%Y-%m},90,,,",  # row 8: not ended
        f"on-time-delivery,{month(BEFORE)},lots,,,"))            # row 9
    assert kpi_import.status == "failed" and kpi_import.rows_done == kpi_import.rows_total == 8
    found = {(error["row"], error["field"]) for error in kpi_import.errors}
    assert found == {(3, "kpi"), (4, "period"), (5, "value"), (6, "period"), (7, "period"),
                     (8, "period"), (9, "value")}
    assert not values_of(world).exists()
    shared.refresh_from_db()
    assert shared.value == Decimal(92)
    page = login(world.bob).get(kpi_import.get_absolute_url()).content.decode()
    assert "Nothing was imported" in page and "Row 4, period: “last month” is not a period" in page


def test_a_missing_column_and_the_other_partys_kpi_are_reported(world):
    agreed_kpi(world)
    header_only = SimpleUploadedFile("values.csv", b"KPI,Month,Value\nx,2026-01,1\n")
    kpi_import = imported(world, header_only)
    assert kpi_import.status == "failed"
    assert kpi_import.errors == [{"row": 1, "field": "period", "message": kpi_import.errors[0][
        "message"]}] and "“period” column" in kpi_import.errors[0]["message"]
    # Alice's party (the sponsor) reports no KPI: she may not upload at all.
    with pytest.raises(Exception, match="Only the party that reports"):
        services.kpi_import_create(actor=world.alice, partnership=world.acme_contoso,
                                   file=csv_file(f"on-time-delivery,{month(LAST_MONTH)},92,,,"))


@pytest.mark.parametrize(("name", "content"), [
    ("values.csv", PDF), ("values.xlsx", PDF), ("values.csv", b"\x00\x01\x02binary\x00"),
    ("values.pdf", PDF)])
def test_a_file_that_is_no_spreadsheet_is_refused_at_upload(world, login, name, content):
    agreed_kpi(world)
    response = login(world.bob).post(
        reverse("metrics:kpiimport_create", args=[world.acme_contoso.pk]),
        {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert "not a CSV or Excel document" in response.content.decode() or \
        "rename it" in response.content.decode()
    assert not KPIImport.objects.filter(uploaded_by=world.bob, status="queued").exists()


def test_the_job_runs_once_however_often_it_is_delivered(world):
    agreed_kpi(world)
    kpi_import = services.kpi_import_create(
        actor=world.bob, partnership=world.acme_contoso,
        file=csv_file(f"on-time-delivery,{month(LAST_MONTH)},92,23,25,"))
    assert services.kpi_import_run(import_id=kpi_import.pk).status == "done"
    assert services.kpi_import_run(import_id=kpi_import.pk) is None
    assert run_kpi_import_task.run(kpi_import.pk) is None
    assert values_of(world).count() == 1

    # A run still holding its claim is left alone; one whose worker died is taken over.
    other = services.kpi_import_create(
        actor=world.bob, partnership=world.acme_contoso,
        file=csv_file(f"on-time-delivery,{month(BEFORE)},90,,,"))
    now = timezone.now()
    KPIImport.objects.filter(pk=other.pk).update(status="running", claimed_at=now)
    assert services.kpi_import_run(import_id=other.pk, now=now) is None
    later = now + datetime.timedelta(hours=2)
    assert services.kpi_import_run(import_id=other.pk, now=later).status == "done"
    assert values_of(world).count() == 2


def test_the_progress_fragment_polls_while_the_job_runs(world, login):
    agreed_kpi(world)
    kpi_import = services.kpi_import_create(
        actor=world.bob, partnership=world.acme_contoso,
        file=csv_file(f"on-time-delivery,{month(LAST_MONTH)},92,23,25,"))
    assert login(world.alice).get(kpi_import.get_absolute_url()).status_code == 404
    client = login(world.cole)  # the uploader's organization follows it
    KPIImport.objects.filter(pk=kpi_import.pk).update(status="running", rows_total=4,
                                                      rows_done=1)
    fragment = client.get(kpi_import.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and 'hx-trigger="every 1s"' in fragment
    assert 'value="25"' in fragment and "Checking row 1 of 4" in fragment
    KPIImport.objects.filter(pk=kpi_import.pk).update(status="queued", rows_done=0)
    services.kpi_import_run(import_id=kpi_import.pk)
    fragment = client.get(kpi_import.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment and 'value="100"' in fragment


def test_the_import_pages_keep_their_queries(world, login, django_assert_max_num_queries):
    agreed_kpi(world)
    client = login(world.bob)
    for _ in range(3):
        imported(world, csv_file(f"on-time-delivery,{month(LAST_MONTH)},92,23,25,"))
    list_url = reverse("metrics:kpiimport_list", args=[world.acme_contoso.pk])
    with django_assert_max_num_queries(14):
        assert client.get(list_url).status_code == 200
    detail = KPIImport.objects.filter(status="done", uploaded_by=world.bob).first()
    with django_assert_max_num_queries(12):
        assert client.get(detail.get_absolute_url()).status_code == 200
    stored = client.get(reverse("metrics:kpiimport_file", args=[world.acme_contoso.pk,
                                                                detail.pk]))
    assert b"".join(stored.streaming_content).startswith(HEADER.encode())
    assert login(world.carol).get(reverse("metrics:kpiimport_file", args=[
        world.acme_contoso.pk, detail.pk])).status_code == 404
    template = client.get(reverse("metrics:kpiimport_template"))
    assert template.content.decode().startswith("KPI key,Period,Value")


def test_the_api_accepts_a_file_and_shows_its_progress(world):
    agreed_kpi(world)
    bob = api(world.bob)
    response = bob.post("/api/v1/kpi-imports/", {
        "partnership": world.acme_contoso.pk,
        "file": csv_file(f"on-time-delivery,{month(LAST_MONTH)},92,23,25,")}, format="multipart")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "queued" and response["Location"] == body["url"]
    services.kpi_import_run(import_id=body["id"])
    shown = bob.get(body["url"]).json()
    assert (shown["status"], shown["rows_done"], shown["rows_total"], shown["percent"]) == \
        ("done", 1, 1, 100)
    bad = bob.post("/api/v1/kpi-imports/", {"partnership": world.acme_contoso.pk,
                                            "file": SimpleUploadedFile("x.csv", PDF)},
                   format="multipart")
    assert bad.status_code == 400 and "file" in bad.json()
    foreign = api(world.carol).get(body["url"])
    assert foreign.status_code == 404
    assert api(world.vera).post("/api/v1/kpi-imports/", {
        "partnership": world.acme_contoso.pk,
        "file": csv_file(f"on-time-delivery,{month(BEFORE)},92,23,25,")},
        format="multipart").status_code == 403
    assert api(world.carol).post("/api/v1/kpi-imports/", {
        "partnership": world.acme_contoso.pk,
        "file": csv_file(f"on-time-delivery,{month(BEFORE)},92,23,25,")},
        format="multipart").status_code == 400  # a partnership it cannot see: no such one


# --- Mends -------------------------------------------------------------------------------

def test_evidence_is_attached_through_the_api(world):
    value = values_of(world, key="delivery").get()
    bob = api(world.bob)
    url = f"/api/v1/kpi-measurements/{value.pk}/evidence/"
    response = bob.post(url, {"file": SimpleUploadedFile("log.csv", b"lot,date\nL1,2026-01-05\n")},
                        format="multipart")
    assert response.status_code == 201, response.content
    assert "log.csv" in {file["name"] for file in response.json()["evidence"]}
    refused = bob.post(url, {"file": SimpleUploadedFile("log.csv", b"\x00\x01binary")},
                       format="multipart")
    assert refused.status_code == 400 and "file" in refused.json()
    assert api(world.alice).post(url, {"file": SimpleUploadedFile("a.pdf", PDF)},
                                 format="multipart").status_code == 403  # not the reporter
    assert api(world.vera).post(url, {"file": SimpleUploadedFile("a.pdf", PDF)},
                                format="multipart").status_code == 403
    assert api(world.carol).post(url, {"file": SimpleUploadedFile("a.pdf", PDF)},
                                 format="multipart").status_code == 404


def test_editing_an_agreed_definition_says_it_is_agreed(world, login):
    definition = agreed_kpi(world)
    response = login(world.alice).get(reverse("metrics:kpidefinition_edit",
                                              args=[world.acme_contoso.pk, definition.pk]))
    page = response.content.decode()
    assert response.status_code == 403
    assert "This definition is agreed: only a draft is edited" in page and "read-only" not in page
    viewer = login(world.vera).get(reverse("metrics:kpidefinition_edit",
                                           args=[world.acme_contoso.pk, definition.pk]))
    assert "read-only" in viewer.content.decode()  # a viewer's refusal is about the role


def test_editing_a_submitted_change_control_says_it_is_submitted(world, login):
    from governance.models import ChangeControl

    change = ChangeControl.objects.get(partnership=world.acme_contoso)
    response = login(world.bob).get(reverse("governance:changecontrol_edit",
                                            args=[world.acme_contoso.pk, change.pk]))
    page = response.content.decode()
    assert response.status_code == 403
    assert "This change control is awaiting" in page and "read-only" not in page



def test_a_semicolon_csv_and_each_spelling_of_a_period_are_read():
    from metrics.imports import reading

    rows = reading.read_rows(io.BytesIO(
        "\ufeffKPI key;Period;Value;Comment\n\non-time-delivery;2026-Q2;92;late, then on time\n"
        .encode()), "csv")
    assert rows == [reading.Row(3, {"kpi": "on-time-delivery", "period": "2026-Q2",
                                    "value": "92", "comment": "late, then on time"})]
    assert reading.period("2026-Q2") == datetime.date(2026, 4, 1)
    assert reading.period("2026-3") == reading.period("2026-03-01") == \
        reading.period(datetime.datetime(2026, 3, 1)) == datetime.date(2026, 3, 1)
    assert reading.number(0.1 + 0.2) == Decimal("0.3000")
    for bad in ("2026-13", "March", ""):
        with pytest.raises(Exception, match="period"):
            reading.period(bad)
