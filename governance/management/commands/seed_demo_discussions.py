"""Demo discussions (run by seed_demo_governance after the requests and quality records;
idempotent): what the requests' answerers "sent through the shared folder" is attached to
the request itself — the executed batch record, the quote, the CoA, each as a small PDF made
here — the executed batch record of the engineering run is on its deliverable, a few
threads show mentions both ways and a sponsor's internal note, and an accepted audit
finding carries the CDMO's root-cause analysis and CAPA plan (two files on one comment)
below a draft its author withdrew. Written through the service
by the people whose word each is, then dated to when it was said.

A rerun finds a record that already has a discussion and leaves it as it is.
"""

import datetime
import io

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from governance.models import Finding, Request
from partnership.discussion import kinds
from partnership.discussion.models import Comment
from partnership.discussion.services import comment_post, comment_withdraw
from partnership.models import Deliverable, User

#: What the answerer of a fulfilled request writes above the file it delivers.
DELIVERED = "Attached here: {name}."

#: Threads beyond the delivered files: (record title, [(author e-mail, text, mentions
#: (e-mails), internal)]), the first comment oldest.
THREADS = [
    ("Extra bioburden testing on the holding step", [
        ("ravi@meridian.example", "@Quinn Which hold time do you want sampled: 24 h or the "
         "validated 72 h?", ["quinn@northwind.example"], False),
        ("quinn@northwind.example", "@Ravi Both, please: 24 h is what the line ran last month.",
         ["ravi@meridian.example"], False),
        ("quinn@northwind.example", "If the 72 h result fails we reopen the hold-time study; "
         "@Nora keep it in mind for the QBR.", ["nora@northwind.example"], True),
    ]),
    ("Updated reference standard CoA", [
        ("quinn@northwind.example", "@Ravi the current CoA expires on the 30th; the new one "
         "should carry the requalified potency.", ["ravi@meridian.example"], False),
    ]),
]


def _pdf(title: str, lines: list[str]) -> ContentFile:
    """A one-page PDF standing in for the document a party delivered."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(title)
    page.drawString(72, 770, title)
    for number, line in enumerate(lines):
        page.drawString(72, 750 - 18 * number, line)
    page.save()
    name = "".join(c if c.isalnum() or c in " -" else " " for c in title).strip()
    return ContentFile(buffer.getvalue(), name=f"{name[:80]}.pdf")


def _discussed(record) -> bool:
    return Comment.objects.filter(partnership=record.partnership_id,
                                  record_type=kinds.record_type_of(record),
                                  record_id=record.pk).exists()


def _dated(comment: Comment, at: datetime.datetime) -> None:
    Comment.objects.filter(pk=comment.pk).update(created_at=at, updated_at=at)
    comment.attachments.update(uploaded_at=at)


def seed_delivered_files() -> None:
    """Each fulfilled (or accepted) request carries what was delivered: its answerer's
    comment with the file, dated when it was fulfilled."""
    for request in Request.objects.filter(fulfilled_at__isnull=False).select_related(
            "partnership", "assignee"):
        if _discussed(request) or request.assignee is None:
            continue
        document = _pdf(request.title, [f"{request.get_kind_display()} for: {request.title}",
                                        f"{request.partnership} (demo data)"])
        comment = comment_post(actor=request.assignee, record=request,
                               body=DELIVERED.format(name=document.name), file=document)
        _dated(comment, request.fulfilled_at)


def seed_batch_record_deliverable() -> None:
    """The engineering run's executed batch record, on its deliverable, by the CDMO lead."""
    deliverable = Deliverable.objects.filter(title="Engineering run executed batch record"
                                             ).select_related("partnership").first()
    if deliverable is None or _discussed(deliverable):
        return
    author = User.objects.get(email="mei@meridian.example")
    document = _pdf("Executed batch record - engineering run", [
        "Executed batch record, reviewed and approved by Meridian QA.",
        f"{deliverable.partnership} (demo data)"])
    comment_post(actor=author, record=deliverable, file=document,
                 body="The executed batch record, reviewed by our QA: for your review "
                      "against the criteria.",
                 mentions=User.objects.filter(email="nora@northwind.example"))


def seed_threads() -> None:
    for title, comments in THREADS:
        request = Request.objects.filter(title=title).select_related("partnership").first()
        if request is None or _discussed(request):
            continue
        start = request.acknowledged_at or request.sent_at
        for number, (email, text, mentions, internal) in enumerate(comments):
            comment = comment_post(actor=User.objects.get(email=email), record=request,
                                   body=text, is_internal=internal,
                                   mentions=User.objects.filter(email__in=mentions))
            _dated(comment, start + datetime.timedelta(hours=3 * (number + 1)))


def seed_finding_thread() -> None:
    """An accepted finding: the CDMO's answerer posted a draft by mistake and withdrew it
    (kept, with why), then the root-cause analysis and the CAPA plan, two files on one
    comment, for the auditor who raised it."""
    finding = Finding.objects.filter(status=Finding.Status.ACCEPTED, responded_by__isnull=False
                                     ).select_related("partnership", "responded_by",
                                                      "raised_by").order_by("pk").first()
    if finding is None or _discussed(finding):
        return
    author, auditor = finding.responded_by, finding.raised_by
    at = finding.responded_at - datetime.timedelta(hours=6)
    draft = comment_post(actor=author, record=finding, body="Our draft response, for comment.",
                         files=[_pdf(f"Finding {finding.number} response DRAFT",
                                     ["Draft: not for review."])])
    comment_withdraw(actor=author, comment=draft,
                     reason="Posted the unreviewed draft by mistake; the reviewed files follow.")
    _dated(draft, at)
    Comment.objects.filter(pk=draft.pk).update(withdrawn_at=at + datetime.timedelta(minutes=20))
    name = auditor.get_full_name() or auditor.email
    comment = comment_post(
        actor=author, record=finding, mentions=[auditor],
        body=f"@{name} The root-cause analysis and the CAPA plan for finding "
             f"{finding.number}, reviewed by our QA.",
        files=[_pdf(f"Finding {finding.number} root cause analysis",
                    [finding.title, "Root cause, impact and correction (demo data)"]),
               _pdf(f"Finding {finding.number} CAPA plan",
                    [finding.title, "Actions, owners and due dates (demo data)"])])
    _dated(comment, at + datetime.timedelta(hours=1))


def seed_discussions() -> None:
    seed_delivered_files()
    seed_batch_record_deliverable()
    seed_threads()
    seed_finding_thread()


class Command(BaseCommand):
    help = "Demo discussions and their files (run by seed_demo_governance)."

    def handle(self, *args, **options):
        seed_discussions()
