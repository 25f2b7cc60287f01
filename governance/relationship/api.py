"""API resources of notices, thank-yous and the feedback survey, scoped (DESIGN §2)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from governance.relationship import selectors, services
from governance.relationship.filters import NoticeFilter
from governance.relationship.models import Notice, Recognition, SurveyResponse
from partnership.models import Partnership, Site
from partnership.parties.api import SeatedPersonField
from partnership.parties.selectors import partnership_list
from partnership.scoping_views import ScopedViewSet
from portal.serializers import ScopedModelSerializer, ScopedRelatedField
from portal.validation import parse_id


class NoticeSerializer(ScopedModelSerializer):
    """No `is_internal`: notices are always shared with the other party."""

    partnership = ScopedRelatedField(Partnership)
    site = ScopedRelatedField(Site, required=False, allow_null=True)
    posting_party = serializers.CharField(read_only=True)

    class Meta:
        model = Notice
        fields = ["id", "partnership", "kind", "title", "body", "effective_date", "site",
                  "posting_party", "author_organization", "created_by", "created_at",
                  "acknowledged_by", "acknowledged_at"]
        read_only_fields = ["author_organization", "created_by", "created_at",
                            "acknowledged_by", "acknowledged_at"]

    def create(self, validated_data):
        return services.notice_post(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("partnership", None)
        return services.notice_update(actor=self.context["request"].user, notice=instance,
                                      **validated_data)


class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, ScopedViewSet):
    """Strategic notices (site closure, capability exit, supply delay) either party posts;
    the poster's party may correct one until it is acknowledged. POST .../acknowledge/
    (no body) is the other party's acknowledgement, once."""

    model = Notice
    selector = selectors.notice_list
    serializer_class = NoticeSerializer
    filterset_class = NoticeFilter

    @extend_schema(request=None, responses=NoticeSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        notice = services.notice_acknowledge(actor=request.user, notice=self.get_object())
        return Response(self.get_serializer(notice).data)


class RecognitionSerializer(ScopedModelSerializer):
    partnership = ScopedRelatedField(Partnership)
    recipients = SeatedPersonField(many=True, required=False)  # of the other party

    class Meta:
        model = Recognition
        fields = ["id", "partnership", "message", "recipients", "team", "author_organization",
                  "created_by", "created_at"]
        read_only_fields = ["author_organization", "created_by", "created_at"]

    def create(self, validated_data):
        return services.recognition_create(actor=self.context["request"].user,
                                           **validated_data)


class RecognitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.CreateModelMixin, ScopedViewSet):
    """Thank-yous to people or a team of the other party, newest first."""

    model = Recognition
    selector = selectors.recognition_list
    serializer_class = RecognitionSerializer


class SurveyResponseSerializer(ScopedModelSerializer):
    partnership = ScopedRelatedField(Partnership)

    class Meta:
        model = SurveyResponse
        fields = ["id", "partnership", "quarter", "rated_party", *SurveyResponse.DIMENSIONS,
                  "comments", "submitted_at"]
        read_only_fields = ["quarter", "rated_party", "submitted_at"]

    def create(self, validated_data):
        return services.survey_answer(actor=self.context["request"].user, **validated_data)


class SurveyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    ScopedViewSet):
    """The quarterly feedback survey. POST answers this quarter's survey (once). GET lists
    only YOUR OWN answers (selectors.survey_answer_list: the scoped queryset holds no one
    else's): nobody's individual answers are ever served to anyone else.
    GET .../results/?partnership=<id> gives the results per rated party and closed quarter:
    averages, overall, change and comments only where the quarter is `published` (closed,
    with at least `min_for_detail` answers); else they and `respondents` are null. For the
    open quarter, `answers_so_far` (null while fewer than `min_for_detail`)."""

    model = SurveyResponse
    selector = selectors.survey_answer_list
    serializer_class = SurveyResponseSerializer

    @extend_schema(responses=dict)
    @action(detail=False, methods=["get"])
    def results(self, request):
        pk = parse_id(request.query_params.get("partnership"))
        if pk is None:
            raise serializers.ValidationError({"partnership": "Give ?partnership=<id>."})
        partnership = get_object_or_404(partnership_list(user=request.user), pk=pk)
        results = selectors.survey_results(user=request.user, partnership=partnership)
        return Response({
            "partnership": partnership.pk, "current_quarter": results["current_quarter"],
            "current_quarter_ends": results["current_ends"],
            "min_for_detail": results["min_for_detail"],
            "parties": [{
                "rated_party": party["party"], "rated_organization": party["rated"].name,
                "answers_so_far": party["answers_so_far"],
                "quarters": [{key: row[key] for key in (
                    "quarter", "label", "published", "respondents", "averages", "overall",
                    "change", "comments")} for row in party["quarters"]],
            } for party in results["parties"]],
        })


routes = [("notices", NoticeViewSet, "notice"),
          ("recognitions", RecognitionViewSet, "recognition"),
          ("survey", SurveyViewSet, "survey")]
