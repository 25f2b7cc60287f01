"""`{% history_section record %}` on a record's page, and `record|needs_reason` for the forms
of its status buttons (partnership.history)."""

from django import template
from django.urls import reverse

from partnership.history.reasons import needs_reason as _needs_reason

register = template.Library()


@register.filter
def history_url(record) -> str:
    partnership_id = record.pk if record._meta.model_name == "partnership" \
        else record.partnership_id
    return reverse("partnership:record_history",
                   args=[partnership_id, record._meta.model_name, record.pk])


@register.filter
def needs_reason(record) -> bool:
    return _needs_reason(record)


@register.inclusion_tag("partnership/history_section.html")
def history_section(record) -> dict:
    return {"url": history_url(record)}
