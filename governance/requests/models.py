"""Formal requests from one party to the other, with their workflow declared once, and the
timeline of steps each one took."""

import datetime

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from partnership.models import Milestone, Organization, Partnership
from partnership.scoping import PartnershipChild, SharedQuerySet, SharedRecord
from partnership.search import search_document_field, trigram_index
from portal.validation import validate_date_in_range
from portal.workflow import Workflow


def _workflow_of_steps(steps: dict, statuses) -> Workflow:
    """The Workflow (status -> {next status: button}) of a table of named steps."""
    return Workflow({status: {target: label for sources, target, _side, label in steps.values()
                              if status in sources} for status in statuses})


class RequestUrgency(models.TextChoices):
    NORMAL = "normal", "Normal"
    URGENT = "urgent", "Urgent"
    EMERGENCY = "emergency", "Emergency"


class RequestStatus(models.TextChoices):
    SENT = "sent", "Sent"
    QUERIED = "queried", "Queried"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    IN_PROGRESS = "in_progress", "In progress"
    FULFILLED = "fulfilled", "Fulfilled"
    ACCEPTED = "accepted", "Accepted"
    CANCELLED = "cancelled", "Cancelled"
    DECLINED = "declined", "Declined"


def _rank(field: str, values) -> models.Case:
    """The position of `field`'s value in `values`: a sort key in the domain's order."""
    return models.Case(*(models.When(**{field: value}, then=models.Value(index))
                         for index, value in enumerate(values)),
                       default=models.Value(len(values)), output_field=models.IntegerField())


def urgency_rank() -> models.Case:
    """Urgency by severity (normal, urgent, emergency): the list's sort, and its index."""
    return _rank("urgency", RequestUrgency.values)


def status_rank() -> models.Case:
    """Status in the order of the workflow (sent … accepted, cancelled, declined)."""
    return _rank("status", RequestStatus.values)


class RequestQuerySet(SharedQuerySet):
    def late(self, now: datetime.datetime | None = None) -> "RequestQuerySet":
        """Requests waiting for acknowledgement past the agreed time: the rule of
        Request.is_acknowledgement_late, as a query (list filter, cockpit, late job)."""
        return self.filter(status=Request.Status.SENT, acknowledged_at__isnull=True,
                           acknowledge_by__lt=now or timezone.now())


class Request(SharedRecord):
    """A formal ask from one party to the other. The receiver must acknowledge it (accept with
    a committed date, send back a question, or decline it with a reason) within the
    partnership's agreed time. A declined request is closed, like a cancelled one."""

    class Kind(models.TextChoices):
        INFORMATION = "information", "Information"
        SAMPLE_PULL = "sample_pull", "Sample pull"
        TESTING = "testing", "Testing"
        DOCUMENT = "document", "Document"
        QUOTE = "quote", "Quote"
        CHANGE = "change", "Change"

    Urgency = RequestUrgency
    Status = RequestStatus

    OPEN = (Status.SENT, Status.QUERIED, Status.ACKNOWLEDGED, Status.IN_PROGRESS,
            Status.FULFILLED)
    #: Closed without the work being done: withdrawn by the sender or declined by the receiver.
    CLOSED_UNANSWERED = (Status.CANCELLED, Status.DECLINED)
    #: A request whose fulfilment was accepted changes only with a reason
    #: (partnership.history.reasons).
    REASON_STATUSES = (Status.ACCEPTED,)

    # The workflow, declared once: step -> (from statuses, to status, who takes it, button).
    # "requester" is the party that sent the request, "receiver" the other one. Answering a
    # query sends the request again, so the receiver's acknowledgement clock restarts then
    # (the receiver cannot acknowledge what it does not understand yet).
    STEPS = {
        "acknowledge": ((Status.SENT,), Status.ACKNOWLEDGED, "receiver",
                        "Acknowledge request"),
        "query": ((Status.SENT,), Status.QUERIED, "receiver", "Ask a question"),
        "decline": ((Status.SENT,), Status.DECLINED, "receiver", "Decline request"),
        "answer": ((Status.QUERIED,), Status.SENT, "requester", "Answer the question"),
        "start": ((Status.ACKNOWLEDGED,), Status.IN_PROGRESS, "receiver", "Start work"),
        "fulfil": ((Status.ACKNOWLEDGED, Status.IN_PROGRESS), Status.FULFILLED, "receiver",
                   "Mark fulfilled"),
        "accept": ((Status.FULFILLED,), Status.ACCEPTED, "requester", "Accept the result"),
        "reopen": ((Status.FULFILLED,), Status.IN_PROGRESS, "requester", "Reopen request"),
        "cancel": ((Status.SENT, Status.QUERIED, Status.ACKNOWLEDGED, Status.IN_PROGRESS),
                   Status.CANCELLED, "requester", "Cancel request"),
    }
    WORKFLOW = _workflow_of_steps(STEPS, Status.values)
    #: A change the CDMO asks for (to its process, a supplier, a site) is the sponsor's to
    #: decide and the CDMO's to carry out: the receiver still acknowledges, queries or
    #: declines it, but the work steps are the sender's and accepting the result the
    #: receiver's (Request.side_taking).
    SENDER_CARRIES_OUT = {"start": "requester", "fulfil": "requester", "accept": "receiver",
                          "reopen": "receiver"}
    #: Only the requester edits, and only before the receiver has committed to it
    #: (governance.request_edit).
    EDITABLE = (Status.SENT, Status.QUERIED)

    #: How a request's number is written and quoted: REQ-0042.
    NUMBER_PREFIX = "REQ"

    number = models.PositiveIntegerField(
        editable=False, blank=True,
        help_text="Counts the partnership's requests from 1, in the order they were sent: "
                  "the number people quote (REQ-0042).")
    title = models.CharField(max_length=200)
    description = models.TextField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    requested_by_party = models.CharField(max_length=10, choices=Organization.Kind.choices,
                                          editable=False)
    needed_by = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="assigned_requests",
                                 help_text="Who answers for the receiving party.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SENT)
    sent_at = models.DateTimeField(default=timezone.now, editable=False,
                                   validators=[validate_date_in_range])
    # The agreed time is Request.acknowledgement_window: an emergency's own, shorter one.
    acknowledge_by = models.DateTimeField(
        editable=False, help_text="Sent time plus the agreed time to acknowledge.",
        validators=[validate_date_in_range])
    acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False,
                                           validators=[validate_date_in_range])
    committed_date = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    question = models.TextField(blank=True, help_text="The receiver's question, when queried.")
    answer = models.TextField(blank=True, help_text="The requester's answer to the question.")
    fulfilled_at = models.DateTimeField(null=True, blank=True, editable=False,
                                        validators=[validate_date_in_range])
    fulfilment_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False,
                                     validators=[validate_date_in_range])
    reopen_reason = models.TextField(blank=True)
    decline_reason = models.TextField(blank=True,
                                      help_text="Why the receiving party declined it.")
    emergency_justification = models.TextField(
        blank=True, help_text="Required when the party's monthly emergency budget is spent.")
    over_emergency_budget = models.BooleanField(default=False, editable=False)
    relayed_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="relays",
        editable=False,
        help_text="The request in another partnership of the same sponsor that this one "
                  "relays. Shown only to people who can see both.")
    milestones = models.ManyToManyField(Milestone, blank=True, related_name="requests",
                                        help_text="Tech-transfer milestones waiting on it.")
    late_notified_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="When the receiving party's leads were told it is late; claimed by a "
                  "conditional UPDATE so the job tells them once per acknowledgement window.",
        validators=[validate_date_in_range])
    search_document = search_document_field("title", "description", "question", "answer",
                                            "fulfilment_note")

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "created_at"], name="request_by_created"),
                   models.Index(fields=["partnership", "status", "acknowledge_by"]),
                   models.Index(fields=["partnership", "urgency", "sent_at"]),
                   # Each sort of the list (portal.filters.OrderingFilter: column, then
                   # id) in a partnership and, by default, across them: tests/perf.
                   models.Index(fields=["partnership", "needed_by", "id"],
                                name="request_by_needed"),
                   models.Index(fields=["partnership", "sent_at", "id"], name="request_by_sent"),
                   models.Index(fields=["partnership", "title", "id"], name="request_by_title"),
                   models.Index(fields=["partnership", "acknowledge_by", "id"],
                                name="request_by_ack"),
                   models.Index(fields=["sent_at", "id"], name="request_all_by_sent"),
                   models.Index(models.F("partnership"), status_rank(), models.F("id"),
                                name="request_by_status"),
                   models.Index(models.F("partnership"), urgency_rank(), models.F("id"),
                                name="request_by_urgency"),
                   # "Coming up" on the partnership home (selectors.requests_due_soon):
                   # the deadline of the requests still asked or worked on, of one
                   # partnership, soonest first.
                   models.Index(models.F("partnership"), Coalesce("committed_date", "needed_by"),
                                models.F("id"), name="request_by_deadline",
                                condition=models.Q(status__in=("sent", "queried", "acknowledged",
                                                               "in_progress"))),
                   GinIndex(fields=["search_document"], name="request_search"),
                   trigram_index("title", "request_title_trgm")]
        constraints = [models.UniqueConstraint(fields=["partnership", "number"],
                                               name="request_number_in_partnership")]

    def __str__(self) -> str:
        """"REQ-0042 · title": the number people quote, wherever a request is named
        (notifications, search results, activity); the title alone before it has one."""
        return f"{self.reference} · {self.title}" if self.number else self.title

    def save(self, *args, **kwargs) -> None:
        """A new request takes its partnership's next number (Request.assign_number), on
        whichever door it came through."""
        if self.number is None:
            with transaction.atomic():
                self.assign_number()
                super().save(*args, **kwargs)
        else:
            super().save(*args, **kwargs)

    def assign_number(self) -> None:
        """The partnership's next number: one more than its highest, read with the
        partnership's row locked, so two requests sent at once cannot take the same one.
        Call inside a transaction (the lock lasts until it ends)."""
        Partnership.objects.select_for_update().filter(pk=self.partnership_id).first()
        highest = Request.objects.filter(partnership_id=self.partnership_id).aggregate(
            highest=models.Max("number"))["highest"]
        self.number = (highest or 0) + 1

    @property
    def reference(self) -> str:
        """The number as people quote it: REQ-0042."""
        return f"{self.NUMBER_PREFIX}-{self.number:04d}" if self.number else ""

    def get_absolute_url(self) -> str:
        return reverse("governance:request_detail", args=[self.partnership_id, self.pk])

    @property
    def receiving_party(self) -> str:
        return Partnership.other_party(self.requested_by_party)

    @property
    def acknowledgement_window(self) -> datetime.timedelta:
        """The partnership's agreed time to acknowledge a request of this urgency: an
        emergency has its own, shorter one. Applied when it is sent, and again when a query
        is answered (`acknowledge_by`, which every lateness rule reads)."""
        return self.partnership.acknowledgement_window(
            emergency=self.urgency == self.Urgency.EMERGENCY)

    def is_acknowledgement_late(self, now=None) -> bool:
        """Sent and not yet acknowledged after the agreed time (RequestQuerySet.late). A
        queried request is not late: the receiver has answered with a question, and the
        clock restarts when the requester answers it."""
        return self.status == self.Status.SENT and self.acknowledged_at is None and \
            self.acknowledge_by < (now or timezone.now())

    @property
    def sender_carries_out(self) -> bool:
        """A change asked for by the CDMO: the sponsor decides, the CDMO carries it out."""
        return self.kind == self.Kind.CHANGE and \
            self.requested_by_party == Organization.Kind.CDMO

    @property
    def carrying_party(self) -> str:
        """The party that does the work: the receiver, or the CDMO that asked for a change."""
        return self.requested_by_party if self.sender_carries_out else self.receiving_party

    @classmethod
    def sender_carries_out_q(cls) -> models.Q:
        """Request.sender_carries_out, as a query (the cards' "awaiting me")."""
        return models.Q(kind=cls.Kind.CHANGE, requested_by_party=Organization.Kind.CDMO)

    def side_taking(self, step: str) -> str:
        """'requester' or 'receiver': the side that takes `step` of this request."""
        side = self.STEPS[step][2]
        return self.SENDER_CARRIES_OUT.get(step, side) if self.sender_carries_out else side

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def side_of(self, user) -> str | None:
        """'requester' or 'receiver' for a person of one of the two parties, else None."""
        party = self.partnership.party_of(user)
        if party is None:
            return None
        return "requester" if party == self.requested_by_party else "receiver"

    def check_step(self, step: str, user) -> str:
        """The status `step` leads to, if `user`'s party may take it now; else a
        ValidationError, whichever door (page, API, admin) the step came through."""
        if step not in self.STEPS:
            raise ValidationError({"status": f"“{step}” is not a step of a request."})
        _sources, target, _side, label = self.STEPS[step]
        side = self.side_taking(step)
        self.WORKFLOW.check(self.status, target)
        if self.status not in self.STEPS[step][0]:
            raise ValidationError({"status": f"A request that is "
                                             f"{self.get_status_display().lower()} cannot "
                                             f"take the step “{label}”."})
        if self.side_of(user) != side:
            who = "the party that sent it" if side == "requester" else "the receiving party"
            raise ValidationError({"status": f"Only {who} may {label.lower()}."})
        return target

    def steps_for(self, user) -> dict[str, str]:
        """{step: button label} the user's party may take now (writers only: views check)."""
        side = self.side_of(user)
        return {step: label for step, (sources, _t, _who, label) in self.STEPS.items()
                if self.status in sources and self.side_taking(step) == side}


class RequestStep(PartnershipChild):
    """One step of a request's workflow (sent, acknowledged, queried …): who, when, and the
    words that came with it. The timeline of the request detail page."""

    PARENT = "request"
    INTERNAL_VIA = ("request",)
    MADE_BY = ("actor__organization",)

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    class Step(models.TextChoices):
        # What the step was, as its History names it: past tense, like the statuses.
        SEND = "send", "Sent"
        ACKNOWLEDGE = "acknowledge", "Acknowledged"
        QUERY = "query", "Question asked"
        ANSWER = "answer", "Question answered"
        START = "start", "Work started"
        FULFIL = "fulfil", "Marked fulfilled"
        ACCEPT = "accept", "Accepted"
        REOPEN = "reopen", "Reopened"
        CANCEL = "cancel", "Cancelled"
        DECLINE = "decline", "Declined"

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=12, choices=Step.choices)
    status = models.CharField(max_length=12, choices=Request.Status.choices,
                              help_text="The status the step led to.")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              null=True, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now, validators=[validate_date_in_range])

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request}: {self.step}"
