"""A record's discussion: comments with mentions and files, scoped like their record
(partnership.discussion). The generic isolation suite walks its pages and API routes for
foreign users and read-only seats; here, what it cannot know: internal comments, whom a
comment may mention, files judged by their content, and a thread that follows its record
out of sight."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from governance.models import Deviation, Request
from partnership.discussion import services
from partnership.discussion.models import Attachment, Comment
from partnership.models import Milestone
from partnership.notifications.models import Notification
from partnership.templatetags.discussion import discussion_url
from tests.factories import PDF, UserFactory
from tests.partnership.test_api import api


@pytest.fixture
def world(saved_world):
    return saved_world


def the_request(world) -> Request:
    return Request.objects.get(partnership=world.acme_contoso)


def pdf(name="batch-record.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def post(client, record, **data):
    return client.post(discussion_url(record), data, HTTP_HX_REQUEST="true")


def test_a_comment_with_a_mention_and_a_file_reaches_the_other_party(world, login):
    request = the_request(world)
    response = post(login(world.alice), request, body="Here is the batch record, @Bob.",
                    mentions=[world.bob.pk], files=[pdf()])
    assert response.status_code == 200
    assert b"<html" not in response.content  # the thread only: htmx swaps it in place
    comment = Comment.objects.get(body="Here is the batch record, @Bob.")
    assert (comment.record_type, comment.record_id) == ("request", request.pk)
    assert list(comment.mentions.all()) == [world.bob]
    note = Notification.objects.get(recipient=world.bob, kind="mentioned")
    assert note.url == f"{request.get_absolute_url()}#discussion"
    assert "mentioned you" in note.title
    bob = login(world.bob)
    thread = bob.get(discussion_url(request)).content.decode()
    assert "Here is the batch record" in thread and "batch-record.pdf" in thread
    attachment = Attachment.objects.get(comment=comment)
    download = bob.get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_post_without_javascript_goes_back_to_the_record(world, login):
    request = the_request(world)
    response = login(world.bob).post(discussion_url(request), {"body": "Which lot?"})
    assert response.status_code == 302
    assert response["Location"] == f"{request.get_absolute_url()}#discussion"


def test_the_record_page_carries_its_discussion_section(world, login):
    request = the_request(world)
    page = login(world.bob).get(request.get_absolute_url()).content.decode()
    assert f'hx-get="{discussion_url(request)}"' in page


def test_an_internal_comment_is_marked_and_seen_by_its_party_only(world, login):
    request = the_request(world)
    post(login(world.alice), request, body="Between us: they are late again.",
         is_internal="on", mentions=[world.vera.pk])
    comment = Comment.objects.get(body__startswith="Between us")
    assert comment.is_internal
    alice_page = login(world.alice).get(discussion_url(request)).content.decode()
    assert "Between us" in alice_page and "seen by your organization only" in alice_page
    assert "Between us" not in login(world.bob).get(discussion_url(request)).content.decode()
    listed = api(world.bob).get("/api/v1/comments/", {"record_type": "request",
                                                       "record_id": request.pk}).json()
    assert comment.pk not in [row["id"] for row in listed["results"]]
    assert api(world.bob).get(f"/api/v1/comments/{comment.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["dave", "oscar", "olga"])
def test_only_people_seated_here_who_see_the_record_may_be_mentioned(world, login, who):
    """Dave (another sponsor), Oscar (nobody's partner) and Olga (Contoso's admin, with no
    seat here) are refused with a field error, on the page and in the API; nothing is kept."""
    request = the_request(world)
    person = getattr(world, who)
    response = login(world.alice).post(discussion_url(request),
                                       {"body": "Look", "mentions": [person.pk]})
    assert response.status_code == 400
    assert "mentions" in response.context["form"].errors
    answer = api(world.alice).post("/api/v1/comments/", {
        "record_type": "request", "record_id": request.pk, "body": "Look",
        "mentions": [person.pk]}, format="json")
    assert answer.status_code == 400 and "mentions" in answer.json()
    assert not Comment.objects.filter(body="Look").exists()
    assert not Notification.objects.filter(kind="mentioned", recipient=person).exists()


def test_an_internal_comment_mentions_only_the_own_party(world):
    request = the_request(world)
    with pytest.raises(ValidationError) as error:
        services.comment_post(actor=world.alice, record=request, body="Psst",
                              mentions=[world.bob], is_internal=True)
    assert "mentions" in error.value.message_dict
    assert not Comment.objects.filter(body="Psst").exists()


def test_a_seat_without_a_partnership_of_its_own_here_is_not_offered(world, login):
    """The box offers the people of this partnership, never a colleague seated elsewhere,
    nor the poster (Bob was offered a box of his own name among the others)."""
    form = login(world.bob).get(discussion_url(the_request(world))).context["form"]
    offered = set(form.fields["mentions"].queryset)
    assert {world.alice, world.vera} <= offered
    assert world.bob not in offered
    assert world.carol not in offered and world.olga not in offered


def test_a_file_is_judged_by_its_content_and_nothing_is_kept_without_it(world, login):
    request = the_request(world)
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = login(world.alice).post(discussion_url(request),
                                       {"body": "Report attached", "files": [fake]})
    assert response.status_code == 400
    assert "files" in response.context["form"].errors
    assert not Comment.objects.filter(body="Report attached").exists()


def test_an_empty_comment_is_refused(world, login):
    response = login(world.alice).post(discussion_url(the_request(world)), {"body": "  "})
    assert response.status_code == 400 and "body" in response.context["form"].errors


def test_read_only_seats_read_but_do_not_post(world):
    request = the_request(world)
    with pytest.raises(PermissionDenied):
        services.comment_post(actor=world.vera, record=request, body="Viewer here")


def test_the_thread_follows_its_record_out_of_sight(world, login):
    """A comment Bob wrote himself, on a record Acme then makes internal: Bob sees neither
    the record's discussion, nor the comment, nor its file, by any door."""
    request = the_request(world)
    comment = services.comment_post(actor=world.bob, record=request, body="Bob's note",
                                    file=pdf("bob.pdf"))
    attachment = comment.attachments.get()
    Request.objects.filter(pk=request.pk).update(is_internal=True)
    bob, bob_api = login(world.bob), api(world.bob)
    assert bob.get(discussion_url(request)).status_code == 404
    assert bob.post(discussion_url(request), {"body": "Again"}).status_code == 404
    assert bob.get(attachment.get_absolute_url()).status_code == 404
    assert bob_api.get(f"/api/v1/comments/{comment.pk}/").status_code == 404
    assert bob_api.get(f"/api/v1/attachments/{attachment.pk}/download/").status_code == 404
    assert comment.pk not in [row["id"] for row in
                              bob_api.get("/api/v1/comments/").json()["results"]]
    assert bob_api.post("/api/v1/comments/", {"record_type": "request",
                                              "record_id": request.pk, "body": "Again"},
                        format="json").status_code == 400
    assert api(world.alice).get(f"/api/v1/comments/{comment.pk}/").status_code == 200


def test_the_api_posts_with_a_file_and_lists_one_records_thread(world):
    request = the_request(world)
    client = api(world.bob)
    answer = client.post("/api/v1/comments/", {
        "record_type": "request", "record_id": request.pk, "body": "CoA attached",
        "mentions": [world.alice.pk], "file": pdf("coa.pdf")}, format="multipart")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["attachments"][0]["name"] == "coa.pdf"
    assert Notification.objects.filter(recipient=world.alice, kind="mentioned").exists()
    download = api(world.alice).get(body["attachments"][0]["download"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    rows = client.get("/api/v1/comments/", {"record_type": "request",
                                            "record_id": request.pk}).json()["results"]
    assert [row["body"] for row in rows] == ["CoA attached", "Acme–Contoso supply agreement "
                                                             "comment"]


def test_every_kind_of_record_page_shows_its_section(world, login):
    deviation = Deviation.objects.get(partnership=world.acme_contoso)
    page = login(world.alice).get(deviation.get_absolute_url()).content.decode()
    assert discussion_url(deviation) in page
    milestone = Milestone.objects.filter(partnership=world.acme_contoso).first()
    transfer_page = login(world.alice).get(milestone.get_absolute_url()).content.decode()
    assert discussion_url(milestone) in transfer_page
    assert login(world.bob).get(discussion_url(milestone)).status_code == 200


def test_the_thread_reads_a_bounded_number_of_queries(world, login,
                                                     django_assert_max_num_queries):
    """Twenty comments a page, each with its mentions and files, in the same few queries."""
    request = the_request(world)
    for number in range(30):
        services.comment_post(actor=world.alice if number % 2 else world.bob, record=request,
                              body=f"Note {number}", mentions=[world.vera],
                              file=pdf(f"n{number}.pdf") if number % 5 == 0 else None)
    client = login(world.bob)
    url = discussion_url(request)
    with django_assert_max_num_queries(14):
        page = client.get(url, HTTP_HX_REQUEST="true")
    assert page.content.decode().count('id="comment-') == 20
    assert "Page 1 of 2" in page.content.decode()


def test_a_new_person_seated_here_can_be_mentioned(world):
    from tests.factories import MembershipFactory

    newcomer = UserFactory(organization=world.contoso, first_name="Nia")
    MembershipFactory(partnership=world.acme_contoso, user=newcomer, role="member")
    comment = services.comment_post(actor=world.alice, record=the_request(world),
                                    body="Welcome", mentions=[newcomer])
    assert list(comment.mentions.all()) == [newcomer]
