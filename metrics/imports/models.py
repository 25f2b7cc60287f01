"""Spreadsheet imports of KPI values: the file a reporting party uploaded, and how far the
job that reads it has got. All its rows become draft values, or none of them do."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from partnership.scoping import SharedQuerySet
from portal.files import StoredFile
from portal.validation import validate_date_in_range


def import_path(kpi_import, filename: str) -> str:
    return f"kpi-imports/{kpi_import.partnership_id}/{filename}"


class KPIImportQuerySet(SharedQuerySet):
    def visible_to(self, user) -> "KPIImportQuerySet":
        """The uploader's organization's, less those of a partnership where the user sits
        on the steering committee: an import's file, errors and values are drafts, and
        only published values reach the committee (as KPIMeasurement.visible_to)."""
        seen = super().visible_to(user)
        if not user.is_authenticated:
            return seen
        from partnership.models import Membership

        steering = Membership.objects.filter(user=user, role=Membership.Role.STEERING)
        return seen.filter(uploaded_by__organization_id=user.organization_id).exclude(
            partnership__in=steering.values("partnership_id"))


class KPIImport(StoredFile):
    """One uploaded CSV or XLSX file of KPI values and its job's progress: `rows_done` of
    `rows_total` rows checked so far, the errors found (each with its row number and
    field), and once done the values it entered. Only the uploader's organization sees
    it, as only the reporting party sees the draft values it enters: the file as uploaded
    may hold sheets and columns the import never reads."""

    MADE_BY = ("uploaded_by__organization",)
    ALLOWED_KINDS = ("csv", "xlsx")

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    #: Statuses in which the job still has work to do (the page keeps polling).
    ACTIVE = (Status.QUEUED, Status.RUNNING)

    partnership = models.ForeignKey("partnership.Partnership", on_delete=models.CASCADE,
                                    related_name="+")
    file = models.FileField(upload_to=import_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", editable=False)
    status = models.CharField(max_length=7, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0, validators=[MinValueValidator(0)])
    rows_done = models.PositiveIntegerField(default=0, validators=[MinValueValidator(0)])
    #: [{"row": 7, "field": "period", "message": "…"}, …]; row 1 is the header.
    errors = models.JSONField(default=list, blank=True)
    #: The ids of the values entered or changed, once done.
    values = models.JSONField(default=list, blank=True)
    #: Which run of the job holds the import (a conditional UPDATE claims it), and since when.
    claim = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False,
                                      validators=[validate_date_in_range])
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False,
                                       validators=[validate_date_in_range])

    objects = KPIImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "KPI import"
        indexes = [models.Index(fields=["partnership", "-created_at"])]

    def __str__(self) -> str:
        return f"Import of {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("metrics:kpiimport_detail", args=[self.partnership_id, self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int:
        """How far the job has got, for the progress bar."""
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def stage(self) -> str:
        """What the job is doing, in words."""
        if self.status == self.Status.QUEUED:
            return "Waiting for the job to start"
        if self.status == self.Status.RUNNING:
            if self.rows_total and self.rows_done >= self.rows_total:
                return "Entering the values"
            return f"Checking row {self.rows_done} of {self.rows_total}" if self.rows_total \
                else "Reading the file"
        if self.status == self.Status.DONE:
            return f"{len(self.values)} values entered as drafts"
        return "Nothing was imported"
