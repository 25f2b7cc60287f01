"""`{% history_section record %}` on a record's page, and `record|needs_reason` for the forms
of its status buttons (partnership.history)."""

from django import template
from django.urls import reverse

from partnership.history.reasons import needs_reason as _needs_reason

register = template.Library()


@register.filter
def history_url(record, partnership=None) -> str:
    """The History page of `record`; a party's (an organization's) is read under one of its
    partnerships, `partnership`."""
    model_name = record._meta.model_name
    partnership_id = record.pk if model_name == "partnership" else \
        getattr(partnership, "pk", partnership) if model_name == "organization" \
        else record.partnership_id
    return reverse("partnership:record_history",
                   args=[partnership_id, record._meta.model_name, record.pk])


@register.filter
def needs_reason(record) -> bool:
    return _needs_reason(record)


@register.inclusion_tag("partnership/history_section.html")
def history_section(record) -> dict:
    return {"url": history_url(record)}
