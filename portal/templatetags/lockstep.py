"""Template helpers used across the portal's pages."""

from django import forms, template
from django.utils import timezone
from django.utils.html import format_html

from portal.zones import zone_label as name_zone
from portal.zones import zoned_label

register = template.Library()


@register.filter
def with_class(field, size=""):
    """Render a form field with Bootstrap's class for its widget, marked invalid on errors;
    `with_class:"sm"` in the small size (a filter bar's, beside its small search box)."""
    if isinstance(field.field.widget, forms.Select):  # a filter's yes / no choice too
        css = "form-select"
    elif field.widget_type in ("checkbox", "radioselect"):
        css = "form-check-input"
    else:
        css = "form-control"
    if size == "sm" and css != "form-check-input":
        css += f" {css}-sm"
    if field.errors:
        css += " is-invalid"
    attrs = {"class": css}
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_errors"
    return field.as_widget(attrs=attrs)


@register.filter
def row_range(page) -> str:
    """The rows a page of a list shows, '26–50', counted from the rows it holds (a bounded
    count may stop before the list's last page)."""
    first = (page.number - 1) * page.paginator.per_page + 1
    return f"{first}–{first + len(page.object_list) - 1}"


@register.filter
def local_time(site):
    """The current time at a site, e.g. '14:05 Asia/Shanghai (CST)'."""
    return f"{site.local_now():%H:%M} {name_zone(site.time_zone)}"


@register.filter
def zone_label(name, at=None):
    """A time zone as the portal names it everywhere: 'Europe/Berlin (CET)'; with a moment
    (`zone|zone_label:meeting.starts_at`), as it was called then ('… (CEST)' in summer)."""
    return name_zone(str(name), at or None) if name else ""


@register.simple_tag
def now_in_zone():
    return timezone.localtime()


@register.filter
def zoned(moment):
    """portal.zones.zoned_label, for templates ('' for no moment)."""
    return zoned_label(moment) if moment else ""


@register.simple_tag(takes_context=True)
def live_region(context):
    """The attributes of a record page's live region (portal.live): htmx asks for it again
    every few seconds, lockstep.js only while the tab is visible and with the version shown.
    hx-disinherit keeps its swap from the buttons inside it."""
    live = context.get("live")
    if not live:
        return ""
    return format_html(
        'id="{}" data-live data-live-etag="{}" hx-get="{}" '
        'hx-trigger="every {}s, live-refresh" hx-swap="outerHTML" hx-disinherit="*"',
        live.get("id", "live-record"), live["etag"], live["url"], live["seconds"])

