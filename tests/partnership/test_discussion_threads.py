"""A record's discussion, continued: several files on one comment (all kept or none), the
Files tab of a record, a comment withdrawn by its author (kept, never deleted: GMP), and
findings with a thread of their own."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.models import Finding, Request
from partnership.discussion import services
from partnership.discussion.models import MAX_FILES, Attachment, Comment
from partnership.history.tracking import event_model
from partnership.notifications.models import Notification
from partnership.templatetags.discussion import discussion_url
from tests.factories import PDF
from tests.partnership.test_api import api
from tests.partnership.test_discussion import pdf, the_request


@pytest.fixture
def world(saved_world):
    return saved_world


def fake(name="second.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00 not a pdf", "application/pdf")


def files_url(record) -> str:
    return f"{discussion_url(record)}files/"


def withdraw_url(comment) -> str:
    return reverse("partnership:comment_withdraw", args=[
        comment.partnership_id, comment.record_type, comment.record_id, comment.pk])


# --- Several files per comment -----------------------------------------------------------

def test_a_comment_carries_several_files_and_the_other_party_gets_them(world, login):
    request = the_request(world)
    response = login(world.alice).post(discussion_url(request), {
        "body": "CoA and batch record", "files": [pdf("coa.pdf"), pdf("batch.pdf")]},
        HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    comment = Comment.objects.get(body="CoA and batch record")
    assert sorted(comment.attachments.values_list("name", flat=True)) == ["batch.pdf",
                                                                          "coa.pdf"]
    bob = login(world.bob)
    for attachment in comment.attachments.all():
        download = bob.get(attachment.get_absolute_url())
        assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_a_bad_second_file_is_a_field_error_and_nothing_is_kept(world, login):
    request = the_request(world)
    response = login(world.alice).post(discussion_url(request), {
        "body": "Two files", "files": [pdf("good.pdf"), fake("second.pdf")]})
    assert response.status_code == 400
    assert "second.pdf" in " ".join(response.context["form"].errors["files"])
    assert not Comment.objects.filter(body="Two files").exists()
    assert not Attachment.objects.filter(name="good.pdf").exists()
    with pytest.raises(ValidationError) as error:
        services.comment_post(actor=world.alice, record=request, body="Service",
                              files=[pdf("good.pdf"), fake()])
    assert "files" in error.value.message_dict
    assert not Comment.objects.filter(body="Service").exists()


def test_more_files_than_allowed_are_refused(world, login):
    request = the_request(world)
    too_many = [pdf(f"f{number}.pdf") for number in range(MAX_FILES + 1)]
    response = login(world.alice).post(discussion_url(request),
                                       {"body": "Many", "files": too_many})
    assert response.status_code == 400 and "files" in response.context["form"].errors
    answer = api(world.alice).post("/api/v1/comments/", {
        "record_type": "request", "record_id": request.pk, "body": "Many",
        "files": [pdf(f"f{number}.pdf") for number in range(MAX_FILES + 1)]},
        format="multipart")
    assert answer.status_code == 400 and "files" in answer.json()
    assert not Comment.objects.filter(body="Many").exists()


def test_the_api_posts_several_files_and_refuses_a_bad_one(world):
    request = the_request(world)
    client = api(world.bob)
    answer = client.post("/api/v1/comments/", {
        "record_type": "request", "record_id": request.pk, "body": "Both attached",
        "files": [pdf("a.pdf"), pdf("b.pdf")]}, format="multipart")
    assert answer.status_code == 201, answer.json()
    assert sorted(row["name"] for row in answer.json()["attachments"]) == ["a.pdf", "b.pdf"]
    refused = client.post("/api/v1/comments/", {
        "record_type": "request", "record_id": request.pk, "body": "Bad one",
        "files": [pdf("c.pdf"), fake("d.pdf")]}, format="multipart")
    assert refused.status_code == 400 and "files" in refused.json()
    assert not Comment.objects.filter(body="Bad one").exists()


# --- The Files tab -------------------------------------------------------------------------

def test_the_files_tab_lists_every_file_of_the_record_but_another_partys_internal_ones(
        world, login):
    request = the_request(world)
    services.comment_post(actor=world.alice, record=request, body="Shared",
                          files=[pdf("shared-1.pdf"), pdf("shared-2.pdf")])
    services.comment_post(actor=world.alice, record=request, body="Ours only",
                          is_internal=True, files=[pdf("acme-internal.pdf")])
    services.comment_post(actor=world.bob, record=request, body="Reply",
                          files=[pdf("contoso.pdf")])
    bob_page = login(world.bob).get(files_url(request)).content.decode()
    for name in ("shared-1.pdf", "shared-2.pdf", "contoso.pdf"):
        assert name in bob_page
    assert "acme-internal.pdf" not in bob_page
    alice_page = login(world.alice).get(files_url(request), HTTP_HX_REQUEST="true")
    assert b"<html" not in alice_page.content  # the tab only, swapped into the section
    assert "acme-internal.pdf" in alice_page.content.decode()
    assert "Bob" in alice_page.content.decode()  # who posted it
    internal = Attachment.objects.get(name="acme-internal.pdf")
    assert login(world.bob).get(internal.get_absolute_url()).status_code == 404


def test_the_files_tab_reads_a_bounded_number_of_queries(world, login,
                                                        django_assert_max_num_queries):
    request = the_request(world)
    for number in range(15):
        services.comment_post(actor=world.alice if number % 2 else world.bob, record=request,
                              body=f"Files {number}",
                              files=[pdf(f"x{number}.pdf"), pdf(f"y{number}.pdf")])
    client = login(world.bob)
    with django_assert_max_num_queries(12):
        page = client.get(files_url(request), HTTP_HX_REQUEST="true")
    assert page.content.decode().count('id="file-') == 20
    assert "Page 1 of 2" in page.content.decode()


def test_the_files_tab_of_a_record_out_of_sight_is_404(world, login):
    request = the_request(world)
    Request.objects.filter(pk=request.pk).update(is_internal=True)
    assert login(world.bob).get(files_url(request)).status_code == 404
    assert login(world.dave).get(files_url(request)).status_code == 404


# --- Withdrawing a comment -------------------------------------------------------------------

def test_the_author_withdraws_a_comment_which_stays_without_its_body_and_files(world, login):
    request = the_request(world)
    comment = services.comment_post(actor=world.alice, record=request,
                                    body="Wrong batch record, sorry", files=[pdf("wrong.pdf")])
    attachment = comment.attachments.get()
    response = login(world.alice).post(withdraw_url(comment),
                                       {"reason": "Attached the wrong batch"},
                                       HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    comment.refresh_from_db()
    assert comment.withdrawn_by == world.alice and comment.withdrawn_at is not None
    assert comment.withdrawal_reason == "Attached the wrong batch"
    assert Attachment.objects.filter(pk=attachment.pk).exists()  # nothing is deleted
    thread = login(world.bob).get(discussion_url(request)).content.decode()
    assert f'id="comment-{comment.pk}"' in thread
    assert "Withdrawn by Alice" in thread and "Attached the wrong batch" in thread
    assert "Wrong batch record, sorry" not in thread and "wrong.pdf" not in thread
    assert "wrong.pdf" not in login(world.bob).get(files_url(request)).content.decode()
    assert login(world.bob).get(attachment.get_absolute_url()).status_code == 404
    assert login(world.alice).get(attachment.get_absolute_url()).status_code == 404
    bob_api = api(world.bob)
    assert bob_api.get(f"/api/v1/attachments/{attachment.pk}/download/").status_code == 404
    row = bob_api.get(f"/api/v1/comments/{comment.pk}/").json()
    assert row["body"] == "" and row["attachments"] == []
    assert row["withdrawal_reason"] == "Attached the wrong batch"
    # The audit trail has the change, with its reason.
    event = event_model(Comment).objects.filter(pgh_obj_id=comment.pk).order_by(
        "pgh_id").last()
    assert event.withdrawn_at is not None and event.body == "Wrong batch record, sorry"
    assert event.pgh_context["reason"] == "Attached the wrong batch"


def test_only_the_author_may_withdraw(world, login):
    request = the_request(world)
    comment = services.comment_post(actor=world.alice, record=request, body="Alice's")
    with pytest.raises(PermissionDenied):
        services.comment_withdraw(actor=world.bob, comment=comment, reason="Not mine")
    assert login(world.bob).post(withdraw_url(comment),
                                 {"reason": "Not mine"}).status_code == 403
    assert api(world.bob).post(f"/api/v1/comments/{comment.pk}/withdraw/",
                               {"reason": "Not mine"}, format="json").status_code == 403
    assert login(world.dave).post(withdraw_url(comment),
                                  {"reason": "Not mine"}).status_code == 404
    assert api(world.dave).post(f"/api/v1/comments/{comment.pk}/withdraw/",
                                {"reason": "Not mine"}, format="json").status_code == 404
    comment.refresh_from_db()
    assert comment.withdrawn_at is None


def test_a_withdrawal_needs_a_reason_and_happens_once(world, login):
    comment = services.comment_post(actor=world.alice, record=the_request(world), body="Hm")
    response = login(world.alice).post(withdraw_url(comment), {"reason": "  "})
    assert response.status_code == 400
    assert api(world.alice).post(f"/api/v1/comments/{comment.pk}/withdraw/", {},
                                 format="json").status_code == 400
    comment.refresh_from_db()
    assert comment.withdrawn_at is None
    answer = api(world.alice).post(f"/api/v1/comments/{comment.pk}/withdraw/",
                                   {"reason": "Duplicate"}, format="json")
    assert answer.status_code == 200 and answer.json()["withdrawn_by"] == world.alice.pk
    again = api(world.alice).post(f"/api/v1/comments/{comment.pk}/withdraw/",
                                  {"reason": "Again"}, format="json")
    assert again.status_code == 400 and "reason" in again.json()


# --- Findings have a thread ----------------------------------------------------------------

def test_a_finding_has_its_page_and_discussion(world, login):
    finding = Finding.objects.filter(partnership=world.acme_contoso).first()
    page = login(world.bob).get(finding.get_absolute_url())
    assert page.status_code == 200
    assert discussion_url(finding) in page.content.decode()
    response = login(world.bob).post(discussion_url(finding), {
        "body": "Root cause attached", "mentions": [world.alice.pk],
        "files": [pdf("rca.pdf")]}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    comment = Comment.objects.get(body="Root cause attached")
    assert (comment.record_type, comment.record_id) == ("finding", finding.pk)
    note = Notification.objects.get(recipient=world.alice, kind="mentioned")
    assert note.url == f"{finding.get_absolute_url()}#discussion"
    assert "rca.pdf" in login(world.alice).get(files_url(finding)).content.decode()
    assert login(world.dave).get(finding.get_absolute_url()).status_code == 404
    assert login(world.dave).get(discussion_url(finding)).status_code == 404


def test_without_javascript_the_withdrawal_has_its_own_page(world, login):
    comment = services.comment_post(actor=world.alice, record=the_request(world),
                                    body="Posted twice")
    alice = login(world.alice)
    page = alice.get(withdraw_url(comment))
    assert page.status_code == 200 and "Posted twice" in page.content.decode()
    assert "reason" in page.context["withdraw_form"].fields
    assert login(world.bob).get(withdraw_url(comment)).status_code == 403
    refused = alice.post(withdraw_url(comment), {"reason": ""})
    assert refused.status_code == 400 and "reason" in refused.context["withdraw_form"].errors
    done = alice.post(withdraw_url(comment), {"reason": "Posted twice"})
    assert done.status_code == 302
    assert done["Location"] == f"{the_request(world).get_absolute_url()}#discussion"


def test_a_withdrawn_comment_is_no_longer_quoted_in_the_mentions_it_made(world, login):
    """A mention's notification quotes the comment; once its author withdraws it, the
    people it mentioned no longer read it in their list or the API (nor in a digest still
    to go): only the comment's other, standing, mentions keep their words."""
    request = the_request(world)
    wrong = services.comment_post(actor=world.alice, record=request, mentions=[world.bob],
                                  body="Price for the other sponsor: 42 EUR a vial")
    services.comment_post(actor=world.alice, record=request, mentions=[world.bob],
                          body="Still standing")
    services.comment_withdraw(actor=world.alice, comment=wrong, reason="Wrong thread")
    bodies = list(Notification.objects.filter(recipient=world.bob, kind="mentioned")
                  .values_list("body", flat=True))
    assert "Still standing" in bodies
    assert not [body for body in bodies if "42 EUR" in body]
    assert "42 EUR" not in login(world.bob).get(
        reverse("portal:notification_list")).content.decode()
    assert "42 EUR" not in str(api(world.bob).get("/api/v1/notifications/").json())
