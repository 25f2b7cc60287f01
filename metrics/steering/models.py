"""The steering pack: a PDF of a partnership's steering page for a period, asked for by a
person, made by a job, kept in private storage and attached to a steering meeting."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from partnership.scoping import SharedQuerySet
from portal.files import StoredFile
from portal.validation import validate_date_in_range


def pack_path(pack, filename: str) -> str:
    return f"steering-packs/{pack.partnership_id}/{pack.pk}/{filename}"


class SteeringPack(StoredFile):
    """One pack asked for. The job fills `file` once (services.steering_pack_generate locks
    the row and does nothing to a ready pack), so a re-delivered job makes no second PDF.
    It holds what its requester sees, their party's internal records included, so only
    their organization's people see it (selectors.pack_list)."""

    ALLOWED_KINDS = ("pdf",)

    class Status(models.TextChoices):
        PENDING = "pending", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    partnership = models.ForeignKey("partnership.Partnership", on_delete=models.CASCADE,
                                    related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(default=timezone.now,
                                        validators=[validate_date_in_range])
    period_start = models.DateField(validators=[validate_date_in_range])
    period_end = models.DateField(validators=[validate_date_in_range])
    meeting = models.ForeignKey("governance.Meeting", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="steering_packs",
                                help_text="The steering committee meeting it is attached to.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    generated_at = models.DateTimeField(null=True, blank=True,
                                        validators=[validate_date_in_range])
    error = models.TextField(blank=True)
    file = models.FileField(upload_to=pack_path, blank=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "requested_at"])]
        constraints = [models.CheckConstraint(
            condition=models.Q(period_start__lte=models.F("period_end")),
            name="steering_pack_period_in_order")]

    def __str__(self) -> str:
        return f"Steering pack {self.period_start:%d %b %Y}–{self.period_end:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("metrics:steeringpack_download", args=[self.partnership_id, self.pk])

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY
