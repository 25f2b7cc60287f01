"""Batches (lots) made or tested at a CDMO site for a sponsor's program: the CDMO's batch
record review, then the sponsor's, the certificate of analysis, and the sponsor's
disposition (released, rejected, quarantined) under the e-signature of its QA lead."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from governance.quality.models import _workflow_of_steps
from governance.quality.places import site_and_program_errors
from partnership.models import Partnership, Program, Site
from partnership.scoping import PartnershipChild, SharedQuerySet, SharedRecord
from partnership.search import search_document_field, trigram_index
from partnership.signatures.declarations import Signed
from portal.files import StoredFile
from portal.validation import validate_date_in_range

#: Who takes a step, in words, for the refusal.
WHO = {
    "cdmo_qa": "the CDMO's QA lead (its lead, where it seats none)",
    "sponsor_qa": "the sponsor's QA lead (its lead, where it seats none)",
}


SIGNED_FIELDS = ("lot_number", "program", "stage", "site", "manufactured_on",
                 "cdmo_review_note", "sponsor_review_note")
#: event -> (complete service's suffix, label, meaning).
DISPOSITION_WORDS = {
    "released": ("release", "Lot released",
                 "Released: I release this lot for its intended use, on its batch record "
                 "and certificate of analysis"),
    "rejected": ("reject", "Lot rejected",
                 "Rejected: this lot does not meet its specification or GMP and is not to "
                 "be used"),
    "quarantined": ("quarantine", "Lot quarantined",
                    "Quarantined: this lot is held pending investigation"),
}


def _disposition_signatures() -> dict[str, Signed]:
    return {event: Signed(
        label, meanings={"approval": meaning}, fields=SIGNED_FIELDS,
        children={"certificates": ("name", "sha256")} if event == "released" else {},
        parties=lambda batch: ("sponsor",), roles=("lead", "qa_lead"),
        signers=lambda batch: batch.disposition_signer_ids(),
        ready=lambda batch, event=event: batch.disposition_blocker(event),
        complete=f"governance.quality.batches.services.batch_{service}")
        for event, (service, label, meaning) in DISPOSITION_WORDS.items()}


class BatchQuerySet(SharedQuerySet):
    def disposed_between(self, start, end) -> "BatchQuerySet":
        """Lots whose final disposition (released or rejected) fell in [start, end)."""
        return self.filter(status__in=Batch.FINAL, disposed_at__gte=start,
                           disposed_at__lt=end)

    def quality_rates(self, start, end) -> dict:
        """Right-first-time and lot acceptance of the lots finally disposed in [start, end)
        (datetimes), for the metrics issue: {"disposed", "released", "rejected",
        "right_first_time", "right_first_time_rate", "acceptance_rate"} (rates in percent,
        None without lots). Right first time: released and never quarantined."""
        deviations = self.model.deviations.rel.related_model.objects.filter(
            batch=OuterRef("pk"), is_internal=False)
        counts = self.disposed_between(start, end).aggregate(
            disposed=Count("pk"),
            released=Count("pk", filter=Q(status=Batch.Status.RELEASED)),
            rejected=Count("pk", filter=Q(status=Batch.Status.REJECTED)),
            right_first_time=Count("pk", filter=Q(status=Batch.Status.RELEASED,
                                                  quarantined_at__isnull=True)
                                   & ~Q(Exists(deviations))))
        disposed = counts["disposed"]
        return {**counts,
                "right_first_time_rate": round(100 * counts["right_first_time"] / disposed, 1)
                if disposed else None,
                "acceptance_rate": round(100 * counts["released"] / disposed, 1)
                if disposed else None}


class Batch(SharedRecord):
    """A lot of a program made or tested at one of the CDMO's sites, and where its
    disposition stands. Both parties always see it (the CDMO makes it, the sponsor
    disposes of it), so it is never internal.

    Right-first-time and lot acceptance per partnership and period come from these rows
    (BatchQuerySet.quality_rates); a lot named by a deviation both parties see
    (Deviation.batch, the link kept on the deviation's side) is not right first time, and
    is not released while such a deviation is open (disposition_blocker)."""

    class Stage(models.TextChoices):
        DRUG_SUBSTANCE = "drug_substance", "Drug substance"
        DRUG_PRODUCT = "drug_product", "Drug product"
        FINISHED_PACK = "finished_pack", "Finished pack"

    class Status(models.TextChoices):
        MANUFACTURED = "manufactured", "Awaiting CDMO review"
        CDMO_REVIEWED = "cdmo_reviewed", "CDMO reviewed"
        SPONSOR_REVIEWED = "sponsor_reviewed", "Awaiting disposition"
        RELEASED = "released", "Released"
        REJECTED = "rejected", "Rejected"
        QUARANTINED = "quarantined", "Quarantined"

    FINAL = (Status.RELEASED, Status.REJECTED)
    #: Dispositions are taken from here (a quarantined lot is later released or rejected).
    DISPOSABLE = (Status.SPONSOR_REVIEWED, Status.QUARANTINED)
    #: A certificate of analysis may be attached until the lot is finally disposed of.
    COA_OPEN = (Status.MANUFACTURED, Status.CDMO_REVIEWED, Status.SPONSOR_REVIEWED,
                Status.QUARANTINED)

    # The reviews, declared once: step -> (from statuses, to status, who, button).
    STEPS = {
        "cdmo_review": ((Status.MANUFACTURED,), Status.CDMO_REVIEWED, "cdmo_qa",
                        "Record the CDMO's batch record review"),
        "sponsor_review": ((Status.CDMO_REVIEWED,), Status.SPONSOR_REVIEWED, "sponsor_qa",
                           "Record the sponsor's batch record review"),
    }
    #: The dispositions are signed (SIGNATURES), never a button: event -> (from, to).
    DISPOSITIONS = {
        "released": (DISPOSABLE, Status.RELEASED),
        "rejected": (DISPOSABLE, Status.REJECTED),
        "quarantined": ((Status.SPONSOR_REVIEWED,), Status.QUARANTINED),
    }
    WORKFLOW = _workflow_of_steps(
        {**STEPS, **{event: (sources, target, "sponsor_qa", event)
                     for event, (sources, target) in DISPOSITIONS.items()}}, Status.values)

    #: The dispositions, each e-signed by the sponsor's QA lead (its lead where it seats
    #: none); the release binds the certificates it relied on (names and checksums).
    SIGNATURES = _disposition_signatures()

    # Required when a lot is recorded (form and API), but may be emptied: if the sponsor
    # later makes the program internal, the link is cut rather than the program kept in
    # view by a record the other party wrote (partnership.records.shared_record_update).
    program = models.ForeignKey(Program, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="batches")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="batches",
                             help_text="The CDMO site that made or tested the lot.")
    lot_number = models.CharField(max_length=40, help_text="As printed on the batch record.")
    stage = models.CharField("product stage", max_length=14, choices=Stage.choices)
    manufactured_on = models.DateField("manufacture date", validators=[validate_date_in_range])
    status = models.CharField(max_length=16, choices=Status.choices,
                              default=Status.MANUFACTURED)
    cdmo_review_note = models.TextField(blank=True, editable=False)
    cdmo_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                         null=True, blank=True, editable=False,
                                         related_name="+")
    cdmo_reviewed_at = models.DateTimeField(null=True, blank=True, editable=False,
                                            validators=[validate_date_in_range])
    sponsor_review_note = models.TextField(blank=True, editable=False)
    sponsor_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                            null=True, blank=True, editable=False,
                                            related_name="+")
    sponsor_reviewed_at = models.DateTimeField(null=True, blank=True, editable=False,
                                               validators=[validate_date_in_range])
    disposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, editable=False, related_name="+")
    disposed_at = models.DateTimeField(null=True, blank=True, editable=False,
                                       validators=[validate_date_in_range],
                                       help_text="When its latest disposition was signed.")
    quarantined_at = models.DateTimeField(null=True, blank=True, editable=False,
                                          validators=[validate_date_in_range],
                                          help_text="When it was first quarantined, if ever.")
    search_document = search_document_field("lot_number", "cdmo_review_note",
                                            "sponsor_review_note")

    objects = BatchQuerySet.as_manager()

    class Meta:
        ordering = ["-manufactured_on", "-pk"]
        verbose_name_plural = "batches"
        constraints = [models.UniqueConstraint(fields=["partnership", "lot_number"],
                                               name="batch_unique_lot_number")]
        # Each sort of the list (portal.filters.OrderingFilter: column, then id) in a
        # partnership and, by default, across them: tests/perf/test_indexes.py.
        indexes = [models.Index(fields=["partnership", "created_at"], name="batch_by_created"),
                   models.Index(fields=["partnership", "manufactured_on", "id"],
                                name="batch_by_made"),
                   models.Index(fields=["partnership", "lot_number", "id"], name="batch_by_lot"),
                   models.Index(fields=["partnership", "stage", "id"], name="batch_by_stage"),
                   models.Index(fields=["partnership", "status", "id"], name="batch_by_status"),
                   models.Index(fields=["manufactured_on", "id"], name="batch_all_by_made"),
                   models.Index(fields=["partnership", "status", "manufactured_on"]),
                   models.Index(fields=["partnership", "stage", "manufactured_on"]),
                   models.Index(fields=["partnership", "site", "manufactured_on"]),
                   models.Index(fields=["partnership", "program", "manufactured_on"]),
                   models.Index(fields=["partnership", "status", "disposed_at"]),
                   GinIndex(fields=["search_document"], name="batch_search"),
                   trigram_index("lot_number", "batch_lot_trgm")]

    def __str__(self) -> str:
        return f"Lot {self.lot_number}"

    def get_absolute_url(self) -> str:
        return reverse("governance:batch_detail", args=[self.partnership_id, self.pk])

    def clean(self) -> None:
        errors = site_and_program_errors(self)
        if self.manufactured_on and self.manufactured_on > timezone.localdate():
            errors["manufactured_on"] = "A lot is recorded once it is made: the date is past."
        if self.is_internal:
            errors["is_internal"] = "A batch is made by the CDMO for the sponsor: both " \
                                    "parties see it."
        if errors:
            raise ValidationError(errors)

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL

    def _acts_for(self, user, party: str) -> bool:
        """A QA lead of `party` here, or its lead where the party seats no QA lead (as
        slice 1 decides for the CDMO confirming audits). Read once per request and
        partnership (kept on the user object)."""
        partnership = self.partnership
        if partnership.party_of(user) != party:
            return False
        role = partnership.role_of(user)
        if role == "qa_lead":
            return True
        if role != "lead":
            return False
        known = user.__dict__.setdefault("_qa_seated", {})
        key = (partnership.pk, party)
        if key not in known:
            known[key] = partnership.seated_people(party=party, roles=["qa_lead"]).exists()
        return not known[key]

    def who_of(self, user) -> set[str]:
        return {who for who, party in (("cdmo_qa", "cdmo"), ("sponsor_qa", "sponsor"))
                if self._acts_for(user, party)}

    def check_step(self, step: str, user) -> str:
        """The status a review step leads to, if `user` may take it now; else a
        ValidationError, whichever door (page, API) it came through."""
        if step not in self.STEPS:
            raise ValidationError({"status": f"“{step}” is not a step of a batch."})
        sources, target, who, label = self.STEPS[step]
        if self.status not in sources:
            raise ValidationError({"status": f"A lot that is "
                                             f"{self.get_status_display().lower()} cannot "
                                             f"take the step “{label}”."})
        if who not in self.who_of(user):
            raise ValidationError({"status": f"Only {WHO[who]} may "
                                             f"{label[0].lower()}{label[1:]}."})
        return target

    def steps_for(self, user) -> dict[str, str]:
        who = self.who_of(user)
        return {step: label for step, (sources, _t, side, label) in self.STEPS.items()
                if self.status in sources and side in who}

    def disposition_signer_ids(self) -> tuple[int, ...]:
        """The sponsor's QA leads here, or its leads where it seats none."""
        people = self.partnership.seated_people(party="sponsor", roles=["qa_lead"])
        ids = tuple(people.values_list("pk", flat=True))
        return ids or tuple(self.partnership.seated_people(
            party="sponsor", roles=["lead"]).values_list("pk", flat=True))

    def disposition_blocker(self, event: str) -> str | None:
        """Why the lot cannot take the disposition `event` now, or None."""
        sources, _target = self.DISPOSITIONS[event]
        if self.status not in sources:
            if self.status in (self.Status.MANUFACTURED, self.Status.CDMO_REVIEWED):
                return "A lot is disposed of once the CDMO and then the sponsor have " \
                       "reviewed its batch record."
            return f"A lot that is {self.get_status_display().lower()} cannot be " \
                   f"{event} now."
        if event == "released" and not self.certificates.exists():
            return "A lot is released only with its certificate of analysis attached."
        if event == "released":
            return self.open_deviations_blocker()
        return None

    def open_deviations_blocker(self) -> str | None:
        """Why the lot cannot be released while deviations naming it are open (those both
        parties see: the CDMO's own, not yet notified, are its to notify first), or None.
        Read once per instance (the page asks it for its warning and for its buttons)."""
        if "_open_deviations_blocker" in self.__dict__:
            return self.__dict__["_open_deviations_blocker"]
        references = list(self.deviations.filter(is_internal=False).open().order_by(
            "detected_at", "pk").values_list("reference", flat=True)[:4])
        blocker = None
        if references:
            named = ", ".join(references[:3]) + (" …" if len(references) > 3 else "")
            blocker = f"A lot is released once the deviations naming it are closed: " \
                      f"{named} {'is' if len(references) == 1 else 'are'} still open."
        self.__dict__["_open_deviations_blocker"] = blocker
        return blocker

    def dispositions_for(self, user) -> list[str]:
        """The disposition events the user may sign now (the page's buttons)."""
        if "sponsor_qa" not in self.who_of(user) or user.pk not in \
                self.disposition_signer_ids():
            return []
        return [event for event in self.DISPOSITIONS
                if self.disposition_blocker(event) is None]


def certificate_path(certificate, filename: str) -> str:
    return f"batches/{certificate.partnership_id}/{certificate.batch_id}/{filename}"


class CertificateOfAnalysis(PartnershipChild, StoredFile):
    """A lot's certificate of analysis (PDF), attached by the CDMO: checked by its content,
    kept with its SHA-256 in private storage, served only by a scoped view. A revised CoA is
    attached beside the first; the release signs the names and checksums of all of them."""

    PARENT = "batch"
    INTERNAL_VIA = ("batch",)
    MADE_BY = ("uploaded_by__organization",)
    ALLOWED_KINDS = ("pdf",)

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="certificates")
    file = models.FileField(upload_to=certificate_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, related_name="+", editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = "certificate of analysis"
        verbose_name_plural = "certificates of analysis"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:batchcertificate_download",
                       args=[self.partnership_id, self.batch_id, self.pk])
