"""Every model of the metrics app, for Django, which looks for an app's models here. Each is
defined in its topic's package (metrics/<topic>/models.py)."""

from metrics.computed.models import KPIComputation, MeasurementSource
from metrics.imports.models import KPIImport
from metrics.kpis.models import KPIDefinition
from metrics.measurements.models import (
    KPIMeasurement,
    KPISubmissionReminder,
    MeasurementEvidence,
    MeasurementReview,
)
from metrics.steering.models import SteeringPack
from partnership.history.tracking import audit

__all__ = ["KPIComputation", "KPIDefinition", "KPIImport", "KPIMeasurement",
           "KPISubmissionReminder", "MeasurementEvidence", "MeasurementReview",
           "MeasurementSource", "SteeringPack"]

# The audit trail: definitions and values, with a value's review thread and evidence files
# as its parts (the file itself hidden, as a contract document's is). The
# reminder rows are the job's bookkeeping (a unique key that makes it run once); an import
# is the job's record of a file, and the values it enters are audited as values.
audit(KPIDefinition, exclude=("search_document", "updated_at"))
audit(KPIMeasurement, exclude=("updated_at",))
audit(MeasurementReview, part_of="measurement", label="kind")
audit(MeasurementEvidence, part_of="measurement", label="name", hidden=("file",))
