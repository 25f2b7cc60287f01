"""Serializers of escalation steps, nested in the API's action and request records."""

from governance.escalation.models import ActionItemEscalation, RequestEscalation
from portal.serializers import ScopedModelSerializer


class ActionItemEscalationSerializer(ScopedModelSerializer):
    """One step up the escalation path (written only by the escalation job)."""

    class Meta:
        model = ActionItemEscalation
        fields = ["level", "level_name", "days_allowed", "reached_at", "due_date"]
        read_only_fields = fields


class RequestEscalationSerializer(ScopedModelSerializer):
    """One step up the escalation path (written only by the escalation job)."""

    class Meta:
        model = RequestEscalation
        fields = ["level", "level_name", "days_allowed", "reached_at", "acknowledge_by"]
        read_only_fields = fields
