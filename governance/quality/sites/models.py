"""Sites as the sponsor's QA sees them: each CDMO site's qualification for the sponsor in a
partnership (status, approved activities, the conditions of an approval), the regulators'
inspections of it, the CDMO's subcontractors used for the sponsor's work there (with the
sponsor's written permission, EU GMP 7.6–7.11), and the partnership's audit programme
settings (months between routine audits, fewer after a critical finding)."""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from governance.quality.places import site_and_program_errors
from partnership.models import Partnership, Site
from partnership.scoping import PartnershipChild, SharedQuerySet, SharedRecord
from partnership.search import search_document_field, trigram_index
from portal.validation import validate_date_in_range
from portal.workflow import Workflow


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus `months` calendar months, on the same day of the month or the last one."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


class AuditProgramme(models.Model):
    """What the partnership agrees about its routine audits: how many months may pass
    between a site's last closed audit and the next, and how many after an audit that
    raised a critical finding. One row per partnership, set by the sponsor's QA lead."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE,
                                       related_name="audit_programme")
    reaudit_months = models.PositiveSmallIntegerField(
        "months between routine audits", default=24,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="After a site's last closed audit, the next one is due within this.")
    reaudit_months_after_critical = models.PositiveSmallIntegerField(
        "months after a critical finding", default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Sooner, when the last audit raised a critical finding.")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, editable=False, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = SharedQuerySet.as_manager()

    DEFAULT_MONTHS = 24
    DEFAULT_MONTHS_AFTER_CRITICAL = 12

    class Meta:
        verbose_name = "audit programme setting"
        ordering = ["partnership", "pk"]

    def __str__(self) -> str:
        return f"Audit programme of {self.partnership}"

    def get_absolute_url(self) -> str:
        return reverse("governance:sitequalification_list", args=[self.partnership_id])

    def clean(self) -> None:
        if self.reaudit_months_after_critical and self.reaudit_months and \
                self.reaudit_months_after_critical > self.reaudit_months:
            raise ValidationError({"reaudit_months_after_critical": "After a critical "
                                   "finding the next audit comes sooner, not later."})


class SiteQualification(SharedRecord):
    """A CDMO site as the sponsor's QA sees it in one partnership: whether it is qualified
    for the sponsor's work, for which activities, on which conditions. Both parties see it
    (the CDMO must know whether its site may work for the sponsor); only the sponsor's QA
    lead moves its status."""

    class Status(models.TextChoices):
        NOT_ASSESSED = "not_assessed", "Not assessed"
        UNDER_QUALIFICATION = "under_qualification", "Under qualification"
        APPROVED = "approved", "Approved"
        APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
        DISQUALIFIED = "disqualified", "Disqualified"

    class Activity(models.TextChoices):
        DRUG_SUBSTANCE = "drug_substance", "Drug substance manufacture"
        DRUG_PRODUCT = "drug_product", "Drug product manufacture"
        FILL_FINISH = "fill_finish", "Aseptic fill-finish"
        PACKAGING = "packaging", "Packaging and labelling"
        RELEASE_TESTING = "release_testing", "Release testing"
        STABILITY = "stability", "Stability testing"
        STORAGE = "storage", "Storage and distribution"

    WORKFLOW = Workflow({
        Status.NOT_ASSESSED: {Status.UNDER_QUALIFICATION: "Start the qualification"},
        Status.UNDER_QUALIFICATION: {Status.APPROVED: "Approve the site",
                                     Status.APPROVED_WITH_CONDITIONS: "Approve with conditions",
                                     Status.DISQUALIFIED: "Disqualify the site"},
        Status.APPROVED: {Status.APPROVED_WITH_CONDITIONS: "Add conditions",
                          Status.DISQUALIFIED: "Disqualify the site"},
        Status.APPROVED_WITH_CONDITIONS: {Status.APPROVED: "Lift the conditions",
                                          Status.DISQUALIFIED: "Disqualify the site"},
        Status.DISQUALIFIED: {Status.UNDER_QUALIFICATION: "Requalify"},
    })
    APPROVED = (Status.APPROVED, Status.APPROVED_WITH_CONDITIONS)
    #: Steps whose reason the sponsor must write down (the CDMO reads it).
    NEEDS_NOTE = (Status.APPROVED_WITH_CONDITIONS, Status.DISQUALIFIED)

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="qualifications",
                             help_text="The CDMO's site.")
    status = models.CharField(max_length=24, choices=Status.choices,
                              default=Status.NOT_ASSESSED)
    approved_activities = ArrayField(
        models.CharField(max_length=20, choices=Activity.choices), default=list, blank=True,
        help_text="What the site may do for the sponsor's products.")
    conditions = models.TextField(
        blank=True, help_text="The conditions of the approval, or why the site was "
                              "disqualified.")
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False,
                                             validators=[validate_date_in_range])
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                          null=True, blank=True, editable=False,
                                          related_name="+")
    # Found by its conditions (the site's name is its title in the results).
    search_document = search_document_field("conditions")

    class Meta:
        ordering = ["site__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["partnership", "site"],
                                               name="sitequalification_one_per_site")]
        indexes = [models.Index(fields=["partnership", "created_at"],
                                name="sitequalification_by_created"),
                   models.Index(fields=["partnership", "status"]),
                   GinIndex(fields=["search_document"], name="sitequalification_search")]

    def __str__(self) -> str:
        return f"{self.site.name}: {self.get_status_display().lower()}"

    def get_absolute_url(self) -> str:
        return reverse("governance:sitequalification_detail",
                       args=[self.partnership_id, self.pk])

    def clean(self) -> None:
        errors = site_and_program_errors(self)
        if self.is_internal:
            errors["is_internal"] = "Both parties see a site's qualification."
        if self.status in self.APPROVED and not self.approved_activities:
            errors["approved_activities"] = "Name the activities the site is approved for."
        if self.status in self.NEEDS_NOTE and not self.conditions.strip():
            errors["conditions"] = "Write the conditions, or why the site is disqualified."
        if errors:
            raise ValidationError(errors)

    def get_approved_activities_display(self) -> list[str]:
        labels = dict(self.Activity.choices)
        return [labels.get(code, code) for code in self.approved_activities]

    @property
    def is_approved(self) -> bool:
        return self.status in self.APPROVED

    def next_audit_due(self, programme: AuditProgramme | None) -> datetime.date | None:
        """When the next routine audit is due: the last closed audit's last day (annotated
        by the selector as `last_audit_end`) plus the partnership's interval, shorter when
        that audit raised a critical finding. None for a site never audited."""
        last = getattr(self, "last_audit_end", None)
        if last is None:
            return None
        critical = getattr(self, "last_audit_critical", False)
        months = (programme.reaudit_months_after_critical if critical else
                  programme.reaudit_months) if programme else (
            AuditProgramme.DEFAULT_MONTHS_AFTER_CRITICAL if critical
            else AuditProgramme.DEFAULT_MONTHS)
        return add_months(last, months)


class Inspection(PartnershipChild):
    """A regulator's inspection of the site (an FDA pre-approval inspection and its Form 483,
    an EU GMP inspection and the certificate it gave): entered by either party, corrected by
    the party that entered it."""

    PARENT = "qualification"
    INTERNAL_VIA = ("qualification",)
    MADE_BY = ("entered_by__organization",)

    class Authority(models.TextChoices):
        FDA = "fda", "US FDA"
        EMA = "eu", "EU competent authority"
        MHRA = "mhra", "UK MHRA"
        PMDA = "pmda", "Japan PMDA"
        NMPA = "nmpa", "China NMPA"
        OTHER = "other", "Other authority"

    class Outcome(models.TextChoices):
        NAI = "nai", "No action indicated"
        FORM_483 = "form_483", "FDA Form 483 issued"
        WARNING_LETTER = "warning_letter", "Warning letter"
        GMP_CERTIFICATE = "gmp_certificate", "EU GMP certificate issued"
        NON_COMPLIANCE = "non_compliance", "Statement of non-compliance"
        COMPLIANT = "compliant", "Compliant (other authority)"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    qualification = models.ForeignKey(SiteQualification, on_delete=models.CASCADE,
                                      related_name="inspections")
    authority = models.CharField(max_length=8, choices=Authority.choices)
    authority_name = models.CharField(
        max_length=120, blank=True, help_text="The agency by name where it matters "
                                              "(AIFA, ANSM, the Regierungspräsidium …).")
    inspected_on = models.DateField("date", validators=[validate_date_in_range],
                                    help_text="The last day of the inspection.")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    observation_count = models.PositiveSmallIntegerField(
        "observations", null=True, blank=True,
        validators=[MaxValueValidator(200)], help_text="Of a Form 483 or a report.")
    certificate_number = models.CharField(max_length=80, blank=True)
    certificate_expiry = models.DateField(null=True, blank=True,
                                          validators=[validate_date_in_range])
    summary = models.TextField(blank=True, help_text="Scope, the main observations, the "
                                                     "site's commitments.")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    entered_at = models.DateTimeField(default=timezone.now, editable=False,
                                      validators=[validate_date_in_range])
    search_document = search_document_field("authority_name", "certificate_number", "summary")

    class Meta:
        ordering = ["qualification", "-inspected_on", "-pk"]
        indexes = [models.Index(fields=["partnership", "entered_at"], name="inspection_by_created"),
                   models.Index(fields=["partnership", "qualification", "inspected_on"]),
                   # the EU GMP certificates expiring soon ("Coming up")
                   models.Index(fields=["partnership", "certificate_expiry"],
                                name="inspection_cert_expiry",
                                condition=models.Q(certificate_expiry__isnull=False)),
                   GinIndex(fields=["search_document"], name="inspection_search"),
                   trigram_index("certificate_number", "inspection_certno_trgm")]

    def __str__(self) -> str:
        return f"{self.get_authority_display()} inspection, {self.inspected_on:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return f"{self.qualification.get_absolute_url()}#inspection-{self.pk}"

    def clean(self) -> None:
        errors = {}
        if self.outcome == self.Outcome.FORM_483 and not self.observation_count:
            errors["observation_count"] = "A Form 483 lists its observations: how many?"
        if self.outcome in (self.Outcome.FORM_483, self.Outcome.WARNING_LETTER) and \
                self.authority and self.authority != self.Authority.FDA:
            errors["outcome"] = "Forms 483 and warning letters are the FDA's."
        if self.outcome == self.Outcome.GMP_CERTIFICATE and not self.certificate_expiry:
            errors["certificate_expiry"] = "Give the certificate's expiry."
        if self.certificate_expiry and self.inspected_on and \
                self.certificate_expiry <= self.inspected_on:
            errors["certificate_expiry"] = "A certificate expires after the inspection."
        if errors:
            raise ValidationError(errors)

    def is_certificate_expired(self, today=None) -> bool:
        return self.certificate_expiry is not None and \
            self.certificate_expiry < (today or timezone.localdate())


class Subcontractor(PartnershipChild):
    """A subcontractor the CDMO uses for the sponsor's work at the site (a contract
    sterility-testing lab, an irradiation service): what it does, where, and the sponsor's
    written permission (EU GMP 7.6–7.11: no subcontracting without it). The CDMO enters it;
    the sponsor's QA lead permits or refuses it."""

    PARENT = "qualification"
    INTERNAL_VIA = ("qualification",)
    MADE_BY = ("entered_by__organization",)

    class Status(models.TextChoices):
        REQUESTED = "requested", "Awaiting permission"
        PERMITTED = "permitted", "Permitted"
        REFUSED = "refused", "Refused"
        WITHDRAWN = "withdrawn", "Withdrawn"

    WORKFLOW = Workflow({
        Status.REQUESTED: {Status.PERMITTED: "Permit the subcontractor",
                           Status.REFUSED: "Refuse the subcontractor",
                           Status.WITHDRAWN: "Withdraw the subcontractor"},
        Status.PERMITTED: {Status.WITHDRAWN: "Withdraw the subcontractor"},
        Status.REFUSED: {Status.REQUESTED: "Ask again"},
        Status.WITHDRAWN: {},
    })
    #: Who takes each step: the sponsor's QA lead decides, the CDMO asks and withdraws.
    DECIDES = {Status.PERMITTED: "sponsor_qa", Status.REFUSED: "sponsor_qa",
               Status.WITHDRAWN: "cdmo", Status.REQUESTED: "cdmo"}

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    qualification = models.ForeignKey(SiteQualification, on_delete=models.CASCADE,
                                      related_name="subcontractors")
    name = models.CharField(max_length=200)
    activity = models.CharField(max_length=300, help_text="What it does for the sponsor's "
                                                          "work (sterility testing of DP lots …).")
    location = models.CharField(max_length=200, help_text="City and country of the "
                                                          "premises used.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    permission_date = models.DateField(null=True, blank=True, editable=False,
                                       validators=[validate_date_in_range],
                                       help_text="The date of the sponsor's written permission.")
    permitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, editable=False, related_name="+")
    decision_note = models.TextField(blank=True, help_text="The sponsor's conditions, or why "
                                                           "it refused.")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    entered_at = models.DateTimeField(default=timezone.now, editable=False,
                                      validators=[validate_date_in_range])
    search_document = search_document_field("name", "activity", "location", "decision_note")

    class Meta:
        ordering = ["qualification", "name", "pk"]
        indexes = [models.Index(fields=["partnership", "entered_at"],
                                name="subcontractor_by_created"),
                   models.Index(fields=["partnership", "status"]),
                   GinIndex(fields=["search_document"], name="subcontractor_search"),
                   trigram_index("name", "subcontractor_name_trgm")]

    def __str__(self) -> str:
        return f"{self.name} ({self.activity})"

    def get_absolute_url(self) -> str:
        return f"{self.qualification.get_absolute_url()}#subcontractor-{self.pk}"


class FindingResponseReminder(models.Model):
    """One 'your response to this finding is overdue' per finding and due date: the job
    tells the CDMO once, and again only when a new due date passes too (DESIGN §4)."""

    finding = models.ForeignKey("governance.Finding", on_delete=models.CASCADE,
                                related_name="+")
    response_due = models.DateField(validators=[validate_date_in_range])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["finding", "response_due"],
                                               name="finding_one_reminder_per_due_date")]

    def __str__(self) -> str:
        return f"Overdue response reminder for {self.finding} due {self.response_due}"
