"""`{% can "rule" obj as name %}`: the template asks the rule which buttons to show."""

from django import template

from partnership.permissions import can as _can

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, name: str, obj=None) -> bool:
    return _can(context["request"].user, name, obj)
