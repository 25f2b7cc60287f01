"""`{% discussion_section record %}` on a record's page: its Discussion section, loaded by
htmx from the record's discussion page (partnership.discussion)."""

from django import template
from django.urls import reverse

from partnership.discussion import kinds

register = template.Library()


@register.filter
def discussion_url(record) -> str:
    return reverse("partnership:record_discussion",
                   args=[record.partnership_id, kinds.record_type_of(record), record.pk])


@register.inclusion_tag("partnership/discussion_section.html")
def discussion_section(record) -> dict:
    return {"url": discussion_url(record)}
