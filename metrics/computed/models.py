"""What a computed KPI value keeps: the records it was computed from (a link per record,
shown to a reader only if they may see the record), and the nightly job's claim of each
KPI and period (a unique key, so the job computes it once)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from metrics.measurements.models import KPIMeasurement, OfVisibleMeasurementQuerySet
from partnership.scoping import PartnershipChild
from portal.validation import validate_date_in_range


class MeasurementSource(PartnershipChild):
    """One record a computed value counted, and how it counted ("on time", "late",
    "12 days"). The link is kept whoever may see the record; the page and the API show it
    only to those who may (MeasurementSource rows themselves are seen with their value)."""

    PARENT = "measurement"
    INTERNAL_VIA = ("measurement",)
    objects = OfVisibleMeasurementQuerySet.as_manager()
    MADE_BY = ()  # the computation writes them, on behalf of neither party

    partnership = models.ForeignKey("partnership.Partnership", on_delete=models.CASCADE,
                                    related_name="+")
    measurement = models.ForeignKey(KPIMeasurement, on_delete=models.CASCADE,
                                    related_name="sources")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    counted_as = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["content_type_id", "object_id"]
        constraints = [models.UniqueConstraint(
            fields=["measurement", "content_type", "object_id"],
            name="measurementsource_once_per_record")]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id} ({self.counted_as})"


class KPIComputation(models.Model):
    """The nightly job's claim of one KPI series and period: created in the transaction
    that computes it, so a second run (or a second worker) computes nothing again. The
    outcome says what happened (a value, or why none was stored)."""

    partnership = models.ForeignKey("partnership.Partnership", on_delete=models.CASCADE,
                                    related_name="+")
    key = models.SlugField(max_length=60)
    period = models.DateField(validators=[validate_date_in_range])
    outcome = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "key", "period"],
                                               name="kpicomputation_once_per_period")]

    def __str__(self) -> str:
        return f"Computed {self.key} {self.period}: {self.outcome}"
