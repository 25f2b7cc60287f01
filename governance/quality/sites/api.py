"""API resources of the sites as the sponsor's QA sees them: site qualifications (their
status a POST), regulatory inspections, subcontractors (permitted or refused by a POST),
the programme's intervals; scoped (DESIGN §2)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action

from governance.quality.api import StepMixin
from governance.quality.filters import (
    InspectionFilter,
    QualificationFilter,
    SubcontractorFilter,
)
from governance.quality.sites import selectors, services
from governance.quality.sites.models import (
    AuditProgramme,
    Inspection,
    SiteQualification,
    Subcontractor,
)
from partnership.models import Partnership, Site
from partnership.scoping_views import ScopedViewSet
from portal.serializers import ScopedModelSerializer, ScopedRelatedField
from portal.validation import validate_date_in_range


class QualificationSerializer(ScopedModelSerializer):
    """A CDMO site's qualification for the sponsor, with its last closed audit and the
    date the next is due (the partnership's interval; null if never audited)."""

    partnership = ScopedRelatedField(Partnership)
    site = ScopedRelatedField(Site)
    approved_activities = serializers.MultipleChoiceField(
        choices=SiteQualification.Activity.choices, required=False)
    last_audit = serializers.IntegerField(source="last_audit_id", read_only=True,
                                          allow_null=True, default=None)
    last_audit_end = serializers.DateField(read_only=True, allow_null=True, default=None)
    next_audit_due = serializers.SerializerMethodField()

    class Meta:
        model = SiteQualification
        fields = ["id", "partnership", "site", "status", "approved_activities", "conditions",
                  "status_changed_at", "status_changed_by", "last_audit", "last_audit_end",
                  "next_audit_due", "author_organization", "created_at", "updated_at"]
        read_only_fields = ["status", "status_changed_at", "status_changed_by",
                            "author_organization", "created_at", "updated_at"]
        validators = []  # one per site: the service says so, once the caller may write

    def get_next_audit_due(self, obj) -> str | None:
        due = obj.next_audit_due(selectors.programme_of(obj.partnership)) \
            if hasattr(obj, "last_audit_end") else None
        return due.isoformat() if due else None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["approved_activities"] = list(instance.approved_activities)
        return data

    def create(self, validated_data):
        validated_data["approved_activities"] = sorted(
            validated_data.get("approved_activities") or ())
        return services.site_qualification_create(actor=self.context["request"].user,
                                                  **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("partnership", None)
        validated_data.pop("site", None)
        if "approved_activities" in validated_data:
            validated_data["approved_activities"] = sorted(validated_data["approved_activities"])
        return services.site_qualification_update(actor=self.context["request"].user,
                                                  qualification=instance, **validated_data)


class QualificationStepSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=SiteQualification.Status.choices)
    approved_activities = serializers.MultipleChoiceField(
        choices=SiteQualification.Activity.choices, required=False)
    conditions = serializers.CharField(required=False, allow_blank=True)


class InspectionSerializer(ScopedModelSerializer):
    partnership = serializers.PrimaryKeyRelatedField(read_only=True)
    qualification = ScopedRelatedField(SiteQualification)
    entered_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "partnership", "qualification", "authority", "authority_name",
                  "inspected_on", "outcome", "observation_count", "certificate_number",
                  "certificate_expiry", "summary", "entered_by", "entered_at"]
        read_only_fields = ["entered_at"]

    def create(self, validated_data):
        return services.inspection_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("qualification", None)
        return services.inspection_update(actor=self.context["request"].user,
                                          inspection=instance, **validated_data)


class SubcontractorSerializer(ScopedModelSerializer):
    partnership = serializers.PrimaryKeyRelatedField(read_only=True)
    qualification = ScopedRelatedField(SiteQualification)
    entered_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Subcontractor
        fields = ["id", "partnership", "qualification", "name", "activity", "location",
                  "status", "permission_date", "permitted_by", "decision_note", "entered_by",
                  "entered_at"]
        read_only_fields = ["status", "permission_date", "decision_note", "entered_at"]

    def create(self, validated_data):
        return services.subcontractor_create(actor=self.context["request"].user,
                                             **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("qualification", None)
        return services.subcontractor_update(actor=self.context["request"].user,
                                             subcontractor=instance, **validated_data)


class SubcontractorStepSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Subcontractor.Status.choices)
    decision_note = serializers.CharField(required=False, allow_blank=True)
    permission_date = serializers.DateField(required=False, allow_null=True,
                                            validators=[validate_date_in_range])


class QualificationViewSet(StepMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    """Qualifications of the CDMO sites of your partnerships (filter status). The sponsor's
    QA lead adds a site (POST), corrects its approved activities and conditions (PATCH) and
    POSTs transition/ {status, approved_activities, conditions}: not assessed → under
    qualification → approved / approved with conditions / disqualified."""

    model = SiteQualification
    selector = selectors.qualification_list
    serializer_class = QualificationSerializer
    filterset_class = QualificationFilter

    def perform_create(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    def perform_update(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    @extend_schema(request=QualificationStepSerializer, responses=QualificationSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        return self._step(request, "governance.sitequalification_transition",
                          self._transition, "qualification", QualificationStepSerializer)

    @staticmethod
    def _transition(*, actor, qualification, approved_activities=None, **body):
        if approved_activities is not None:
            approved_activities = sorted(approved_activities)
        return services.site_qualification_transition(
            actor=actor, qualification=qualification,
            approved_activities=approved_activities, **body)


class InspectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    """Regulatory inspections of the sites (filters authority, outcome, qualification):
    entered by either party (POST, with the qualification), corrected by the party that
    entered them (PATCH). A Form 483 gives its observation count; an EU GMP certificate
    its expiry."""

    model = Inspection
    selector = selectors.inspection_list
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter

    def perform_create(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    def perform_update(self, serializer):
        serializer.instance = self.read_again(serializer.save())


class SubcontractorViewSet(StepMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    """The CDMO's subcontractors per site (filters status, qualification): the CDMO
    declares them (POST) and corrects them while they await permission (PATCH); POST
    decide/ {status, decision_note, permission_date}: the sponsor's QA lead permits or
    refuses (with why), the CDMO withdraws or asks again."""

    model = Subcontractor
    selector = selectors.subcontractor_list
    serializer_class = SubcontractorSerializer
    filterset_class = SubcontractorFilter

    def perform_create(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    def perform_update(self, serializer):
        serializer.instance = self.read_again(serializer.save())

    @extend_schema(request=SubcontractorStepSerializer, responses=SubcontractorSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self._step(request, "governance.subcontractor_step",
                          services.subcontractor_decide, "subcontractor",
                          SubcontractorStepSerializer)


class ProgrammeSerializer(ScopedModelSerializer):
    partnership = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = AuditProgramme
        fields = ["id", "partnership", "reaudit_months", "reaudit_months_after_critical",
                  "updated_by", "updated_at"]
        read_only_fields = ["updated_by", "updated_at"]

    def update(self, instance, validated_data):
        return services.audit_programme_set(actor=self.context["request"].user,
                                            partnership=instance.partnership, **validated_data)


def programme_list(*, user, partnership=None):
    rows = AuditProgramme.objects.visible_to(user).select_related("partnership")
    return rows.filter(partnership=partnership) if partnership else rows


class ProgrammeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       mixins.UpdateModelMixin, ScopedViewSet):
    """The audit programme's intervals of your partnerships (months between routine audits,
    and after a critical finding): the sponsor's QA lead changes them (PATCH)."""

    model = AuditProgramme
    selector = programme_list
    serializer_class = ProgrammeSerializer


routes = [("site-qualifications", QualificationViewSet, "sitequalification"),
          ("inspections", InspectionViewSet, "inspection"),
          ("subcontractors", SubcontractorViewSet, "subcontractor"),
          ("audit-programmes", ProgrammeViewSet, "auditprogramme")]
