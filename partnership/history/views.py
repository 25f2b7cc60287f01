"""Pages of the audit trail: the history of one record, and the auditor's export (CSV or
PDF) of a partnership's history over a period."""

import datetime

from django import forms
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from partnership.history import export, selectors, timeline
from partnership.permissions import can, require_person
from partnership.scoping_views import PartnershipMixin
from partnership.templatetags.history import history_url
from portal.validation import validate_date_in_range
from portal.views import HtmxPartialMixin


class RecordHistoryView(HtmxPartialMixin, PartnershipMixin, TemplateView):
    """The History of a record (its page's History section loads it): readable exactly
    when the record is, with its parts' events (a contract's rounds, documents and
    signatures), newest first, paginated; an htmx request gets the table only."""

    template_name = "partnership/record_history.html"
    partial_name = "history"

    @cached_property
    def record(self):
        return selectors.history_record_get(
            user=self.request.user, partnership=self.partnership,
            record_type=self.kwargs["record_type"], pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        page, entries = timeline.record_history_page(self.record, self.request.user,
                                                     self.request.GET.get("page"))
        return super().get_context_data(
            record=self.record, kind=self.record._meta.verbose_name, entries=entries,
            page_obj=page, history_url=history_url(self.record, self.partnership),
            record_url=self.record.get_absolute_url() if hasattr(
                self.record, "get_absolute_url") else reverse(
                "partnership:membership_list", args=[self.partnership.pk]), **kwargs)


class ExportForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}),
                            validators=[validate_date_in_range])
    end = forms.DateField(label="To (inclusive)", validators=[validate_date_in_range],
                          widget=forms.DateInput(attrs={"type": "date"}))
    format = forms.ChoiceField(choices=[("csv", "CSV"), ("pdf", "PDF")], initial="pdf")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The period ends before it starts.")
        if data.get("start") and data.get("end") and \
                (data["end"] - data["start"]).days > export.MAX_DAYS:
            self.add_error("end", f"Export at most {export.MAX_DAYS} days at a time.")
        return data


class AuditExportView(PartnershipMixin, TemplateView):
    """The auditor's export: a partnership's history over a period, as CSV or PDF, for its
    leads and QA leads; each reads what their party may see and nothing else. A GET with
    the period exports (it changes nothing); without one it shows the form (to every
    seat, saying who may export)."""

    template_name = "partnership/audit_export.html"

    def get(self, request, *args, **kwargs):
        if "start" in request.GET:
            require_person(request.user, "partnership.audit_export", self.partnership)
            form = ExportForm(request.GET)
            if form.is_valid():
                return self.export(form.cleaned_data)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        kwargs.setdefault("form", ExportForm(initial={
            "start": today - datetime.timedelta(days=90), "end": today, "format": "pdf"}))
        return super().get_context_data(
            can_export=can(self.request.user, "partnership.audit_export", self.partnership),
            **kwargs)

    def export(self, data) -> HttpResponse:
        entries = export.partnership_entries(user=self.request.user,
                                             partnership=self.partnership,
                                             start=data["start"], end=data["end"])
        name = f"audit-trail-{self.partnership.pk}-{data['start']}-{data['end']}"
        if data["format"] == "csv":
            response = HttpResponse(export.as_csv(entries), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        else:
            response = HttpResponse(
                export.as_pdf(entries, partnership=self.partnership, user=self.request.user,
                              start=data["start"], end=data["end"]),
                content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
