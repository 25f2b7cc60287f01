"""Electronic signatures (21 CFR Part 11 §11.50, §11.70): who signed which record, for which
event, with which meaning, when, and the hash of the content they signed."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from partnership.parties.models import Organization, Partnership
from partnership.signatures.declarations import declaration, signed_models
from portal.validation import validate_date_in_range


class SignatureQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SignatureQuerySet":
        """The signatures of the records the user sees: each signed kind's own scoping rule
        (its `visible_to`, internal records included), never the signature's alone."""
        if not user.is_authenticated:
            return self.none()
        condition = Q(pk__in=[])
        for model in signed_models():
            condition |= Q(content_type=ContentType.objects.get_for_model(model),
                           object_id__in=model.objects.visible_to(user).values("pk"))
        return self.filter(condition)

    def seen_by(self, organization_id: int | None) -> "SignatureQuerySet":
        """The signatures of the records people of `organization_id` may see under the
        internal rule alone (None: the records both parties see)."""
        condition = Q(pk__in=[])
        for model in signed_models():
            condition |= Q(content_type=ContentType.objects.get_for_model(model),
                           object_id__in=model.objects.seen_by(organization_id).values("pk"))
        return self.filter(condition)

    def of(self, record) -> "SignatureQuerySet":
        return self.of_model(type(record)).filter(object_id=record.pk)

    def of_model(self, model) -> "SignatureQuerySet":
        return self.filter(content_type=ContentType.objects.get_for_model(model))


class Signature(models.Model):
    """One person's signature of one event of a record. Append-only: a signature is never
    changed or taken back (no service does; the admin is read-only; the audit trail keeps
    it). Its name and party are those at signing, so a later change of name or seat does
    not rewrite what was signed."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    event = models.CharField(max_length=40)
    meaning = models.CharField(max_length=40)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="signatures")
    printed_name = models.CharField(max_length=300)
    party = models.CharField(max_length=10, choices=Organization.Kind.choices)
    organization_name = models.CharField(max_length=200)
    signed_at = models.DateTimeField(validators=[validate_date_in_range])
    content_hash = models.CharField(max_length=64)

    objects = SignatureQuerySet.as_manager()

    class Meta:
        ordering = ["signed_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "event"]),
                   models.Index(fields=["partnership", "signed_at"])]

    def __str__(self) -> str:
        return f"{self.printed_name}: {self.event_label} ({self.meaning_label})"

    @property
    def event_label(self) -> str:
        try:
            return declaration(self.content_type.model_class(), self.event).label
        except (KeyError, AttributeError):
            return self.event

    @property
    def meaning_label(self) -> str:
        try:
            return declaration(self.content_type.model_class(), self.event).meanings.get(
                self.meaning, self.meaning)
        except (KeyError, AttributeError):
            return self.meaning
