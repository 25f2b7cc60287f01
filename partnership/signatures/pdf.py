"""Signature lines for PDF exports (an auditor's export, a steering pack): what the record's
page shows of its signatures, as text lines or reportlab paragraphs."""

import datetime
import zoneinfo
from xml.sax.saxutils import escape

from django.utils import timezone

from partnership.signatures.selectors import signatures_of


def signature_line(signature, *, zone: zoneinfo.ZoneInfo | None = None) -> str:
    """"Alice Acmeson (Acme Pharma, sponsor) signed Contract executed — Approved: … —
    2 Mar 2026 16:00 Europe/Zurich (15:00 UTC) — valid for the current content"."""
    zone = zone or timezone.get_current_timezone()
    at = signature.signed_at
    local, utc = at.astimezone(zone), at.astimezone(datetime.UTC)
    validity = "valid for the current content" if getattr(signature, "valid", True) else \
        "NO LONGER VALID: the record changed after signing"
    return (f"{signature.printed_name} ({signature.organization_name}, "
            f"{signature.get_party_display().lower()}) signed {signature.event_label} — "
            f"{signature.meaning_label} — {local:%d %b %Y %H:%M} {zone} "
            f"({utc:%Y-%m-%d %H:%M} UTC) — {validity}")


def signature_lines(record, *, zone: zoneinfo.ZoneInfo | None = None) -> list[str]:
    """One line per signature of `record` (read through a selector by the caller), oldest
    first, with its validity for the record's current content."""
    return [signature_line(signature, zone=zone) for signature in signatures_of(record)]


def signature_flowables(record, *, zone: zoneinfo.ZoneInfo | None = None, style=None) -> list:
    """The same lines as reportlab Paragraphs (`style` defaults to the sample body text),
    or one saying the record is not signed."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph

    style = style or getSampleStyleSheet()["BodyText"]
    lines = signature_lines(record, zone=zone) or ["Not signed."]
    return [Paragraph(escape(line), style) for line in lines]
