"""Template helpers used across the portal's pages."""

from django import template
from django.utils import dateformat, timezone

register = template.Library()


@register.filter
def with_class(field):
    """Render a form field with Bootstrap's class for its widget, marked invalid on errors."""
    kind = field.widget_type
    css = {"select": "form-select", "selectmultiple": "form-select",
           "checkbox": "form-check-input", "radioselect": "form-check-input",
           }.get(kind, "form-control")
    if field.errors:
        css += " is-invalid"
    attrs = {"class": css}
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_errors"
    return field.as_widget(attrs=attrs)


@register.filter
def local_time(site):
    """The current time at a site, e.g. '14:05 (Asia/Shanghai)'."""
    return f"{site.local_now():%H:%M} ({site.time_zone})"


@register.simple_tag
def now_in_zone():
    return timezone.localtime()


@register.filter
def zoned(moment):
    """A moment in the active zone with the zone named, 'Tue 2 Jun 2026, 23:00 (Asia/Tokyo)':
    the viewer's zone on a page, the recipient's in an e-mail (the jobs activate it)."""
    if not moment:
        return ""
    local = timezone.localtime(moment)
    return f"{dateformat.format(local, 'D j M Y, H:i')} ({timezone.get_current_timezone_name()})"
