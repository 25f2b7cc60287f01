"""API resources of the audit programme (audits and their findings), each workflow step a
POST, scoped (DESIGN §2)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from governance.quality import selectors, services
from governance.quality.filters import AuditFilter, FindingFilter
from governance.quality.models import Audit, Finding
from governance.quality.qa import hold_qa_seats
from governance.quality.sites import services as site_services
from partnership.models import Membership, Partnership, Site
from partnership.parties.api import SeatedPersonField
from partnership.permissions import require_person
from partnership.scoping_views import ScopedViewSet
from partnership.signatures.api import SignActionMixin, SignaturesField
from portal.serializers import (
    FutureDatesMixin,
    ScopedModelSerializer,
    ScopedRelatedField,
    records_past_field,
)
from portal.validation import validate_date_in_range


class AuditSerializer(FutureDatesMixin, ScopedModelSerializer):
    """An audit of a CDMO site. `steps` are those the caller may take now. Planned days in
    the past are refused unless `records_past` is true (an audit already held); an edit
    keeps its own days."""

    future_dates = ("planned_start", "planned_end")
    past_confirmation = "records_past"
    records_past = records_past_field()

    partnership = ScopedRelatedField(Partnership)
    site = ScopedRelatedField(Site)
    lead_auditor = SeatedPersonField(party="sponsor", roles=Membership.WRITING_ROLES)
    team = SeatedPersonField(party="sponsor", roles=Membership.WRITING_ROLES, many=True,
                             required=False)
    host = SeatedPersonField(party="cdmo", roles=Membership.WRITING_ROLES, required=False,
                             allow_null=True)
    finding_count = serializers.IntegerField(read_only=True, default=0)
    awaiting_count = serializers.IntegerField(
        read_only=True, default=0, help_text="Findings (observations aside) awaiting the "
                                             "CDMO's response.")
    steps = serializers.SerializerMethodField()
    signatures = SignaturesField()
    with_meetings = serializers.BooleanField(
        write_only=True, required=False, default=True,
        help_text="On create: schedule the opening and closing meetings (default).")

    class Meta:
        model = Audit
        fields = ["id", "partnership", "site", "kind", "scope", "planned_start",
                  "planned_end", "lead_auditor", "team", "host", "agenda", "report_summary",
                  "status", "steps", "opening_meeting", "closing_meeting", "with_meetings",
                  "records_past",
                  "confirmed_at", "confirmed_by", "report_issued_at", "closed_at",
                  "finding_count", "awaiting_count", "signatures", "author_organization",
                  "created_at", "updated_at"]
        read_only_fields = ["report_summary", "status", "opening_meeting", "closing_meeting",
                            "confirmed_at", "confirmed_by",
                            "report_issued_at", "closed_at", "author_organization",
                            "created_at", "updated_at"]

    def get_steps(self, obj) -> list[str]:
        user = self.context["request"].user
        if obj.partnership_id not in (getattr(user, "_held_roles", None) or {}):
            obj.partnership.hold_role_of(user)  # once per partnership, not per row
        return list(obj.steps_for(user)) if obj.partnership.can_write(user) else []

    def create(self, validated_data):
        return services.audit_plan(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("partnership", None)
        validated_data.pop("with_meetings", None)
        return services.audit_update(actor=self.context["request"].user, audit=instance,
                                     **validated_data)


class FindingSerializer(FutureDatesMixin, ScopedModelSerializer):
    """The CDMO's response is due from today on; an edit keeps its own date."""

    future_dates = ("response_due",)
    partnership = serializers.PrimaryKeyRelatedField(read_only=True)
    audit = ScopedRelatedField(Audit)
    raised_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "partnership", "audit", "number", "classification", "title",
                  "requirement", "evidence", "response_due", "status", "raised_by",
                  "raised_at", "response", "responded_by", "responded_at", "review_note",
                  "reviewed_by", "reviewed_at"]
        read_only_fields = ["number", "status", "raised_at", "response", "responded_by",
                            "responded_at", "review_note", "reviewed_by", "reviewed_at"]

    def create(self, validated_data):
        return services.finding_raise(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("audit", None)
        return services.finding_update(actor=self.context["request"].user, finding=instance,
                                       **validated_data)


class ReportSerializer(serializers.Serializer):
    report_summary = serializers.CharField()


class RespondSerializer(serializers.Serializer):
    response = serializers.CharField()


class ReviewSerializer(serializers.Serializer):
    review_note = serializers.CharField(required=False, allow_blank=True)


class SendBackSerializer(serializers.Serializer):
    review_note = serializers.CharField()


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class PostponeSerializer(FutureDatesMixin, serializers.Serializer):
    future_dates = ("planned_start", "planned_end")
    planned_start = serializers.DateField(validators=[validate_date_in_range])
    planned_end = serializers.DateField(validators=[validate_date_in_range])
    reason = serializers.CharField(max_length=500)


class StepMixin:
    """A step: the person is refused first (403 to a read-only seat, whatever the body),
    then the body is read, then the service decides (400 for the wrong party or status)."""

    def hold_for_page(self, rows: list) -> None:
        """Who acts for each party's quality, for every partnership of the page at once: the
        steps a row lists depend on it."""
        super().hold_for_page(rows)
        hold_qa_seats(self.request.user, {row.partnership_id for row in rows})

    def _step(self, request, rule: str, service, keyword: str, body_class=None):
        record = self.get_object()
        require_person(request.user, rule, record)
        arguments = {}
        if body_class is not None:
            body = body_class(data=request.data)
            body.is_valid(raise_exception=True)
            arguments = dict(body.validated_data)
        record = service(actor=request.user, **{keyword: record}, **arguments)
        return Response(self.get_serializer(self.read_again(record)).data)


class AuditViewSet(SignActionMixin, StepMixin, mixins.ListModelMixin,
                   mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   mixins.UpdateModelMixin, ScopedViewSet):
    """Audits of CDMO sites (filters status, kind, site; ordering start, type, status,
    site). The QA leads of either party plan them (POST) and change their plan until they
    start (PATCH). The CDMO's QA lead POSTs confirm/; the audit team start/; the lead
    auditor report/ {report_summary} and then sign/ (issuing the report); the CDMO's QA
    lead or host submit_responses/ once every finding is answered; the lead auditor or the
    sponsor's QA lead close/ once every response is accepted. A step by the wrong party or
    from the wrong status answers 400."""

    model = Audit
    selector = selectors.audit_list
    serializer_class = AuditSerializer
    filterset_class = AuditFilter

    def perform_create(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    def perform_update(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    def _audit_step(self, request, step):
        return self._step(request, "governance.audit_step", services.AUDIT_STEPS[step],
                          "audit")

    @extend_schema(request=None, responses=AuditSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._audit_step(request, "confirm")

    @extend_schema(request=None, responses=AuditSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._audit_step(request, "start")

    @extend_schema(request=None, responses=AuditSerializer)
    @action(detail=True, methods=["post"], url_path="submit-responses")
    def submit_responses(self, request, pk=None):
        return self._audit_step(request, "submit_responses")

    @extend_schema(request=None, responses=AuditSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._audit_step(request, "close")

    @extend_schema(request=ReportSerializer, responses=AuditSerializer)
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        return self._step(request, "governance.audit_report_write",
                          services.audit_report_write, "audit", ReportSerializer)

    # Cancel or postpone a planned or confirmed audit, with a reason: a read-only seat is
    # refused first, then the body is read, then the service asks for a QA lead.
    @extend_schema(request=CancelSerializer, responses=AuditSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._step(request, "governance.audit_step", site_services.audit_cancel, "audit",
                          CancelSerializer)

    @extend_schema(request=PostponeSerializer, responses=AuditSerializer)
    @action(detail=True, methods=["post"])
    def postpone(self, request, pk=None):
        return self._step(request, "governance.audit_step", site_services.audit_postpone, "audit",
                          PostponeSerializer)


class FindingViewSet(StepMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    """Findings of the audits you see (filters classification, status, audit). The audit
    team raises them (POST, with the audit) and corrects them (PATCH) while the audit is in
    progress. Once the report is issued the CDMO's QA lead or host POSTs respond/
    {response}; the lead auditor or the sponsor's QA lead accept/ {review_note} or
    send-back/ {review_note}."""

    model = Finding
    selector = selectors.finding_list
    serializer_class = FindingSerializer
    filterset_class = FindingFilter

    def perform_create(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    def perform_update(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    def _finding_step(self, request, step, body_class):
        return self._step(request, "governance.finding_step", services.FINDING_STEPS[step],
                          "finding", body_class)

    @extend_schema(request=RespondSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        return self._finding_step(request, "respond", RespondSerializer)

    @extend_schema(request=ReviewSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._finding_step(request, "accept", ReviewSerializer)

    @extend_schema(request=SendBackSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        return self._finding_step(request, "send_back", SendBackSerializer)


def _topic_routes() -> list:
    """The routes of the quality agreement, deviations and CAPAs (their modules import
    StepMixin from here, so they are read once this module is)."""
    from governance.quality.agreement.api import routes as agreement
    from governance.quality.deviations.api import routes as deviations

    return [*agreement, *deviations]


routes = [("audits", AuditViewSet, "audit"), ("findings", FindingViewSet, "finding"),
          *_topic_routes()]

