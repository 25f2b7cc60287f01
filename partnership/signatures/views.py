"""The sign dialog every signed record's page opens (htmx; posts without JavaScript too)."""

from django.contrib import messages
from django.http import Http404
from django.utils.functional import cached_property

from partnership.permissions import require_person
from partnership.signatures.declarations import declaration
from partnership.signatures.forms import SignForm
from partnership.signatures.services import needs_otp, sign, sign_rule
from portal.views import ServiceFormView


class SignView(ServiceFormView):
    """GET the dialog, POST the signature. Pair it with the record's PartnershipMixin and
    give `signed_record()`; the event is `?event=` / the posted `event`, or the record's
    only one. Who may sign is the event's rule: a person who may not is refused before the
    form (403); the record's state is the service's to refuse, on the form."""

    requires_write = True
    form_class = SignForm
    template_name = "partnership/signatures/sign_form.html"

    def signed_record(self):
        raise NotImplementedError

    @cached_property
    def record(self):
        return self.signed_record()

    @cached_property
    def event(self) -> str:
        events = list(type(self.record).SIGNATURES)
        event = self.request.POST.get("event") or self.request.GET.get("event") or (
            events[0] if len(events) == 1 else "")
        if event not in events:
            raise Http404("No such signature on this record.")
        return event

    def get_form_kwargs(self):
        require_person(self.request.user, sign_rule(self.record, self.event), self.record)
        signed = declaration(self.record, self.event)
        return {**super().get_form_kwargs(), "meanings": list(signed.meanings.items()),
                "otp": needs_otp(self.request.user)}

    def get_initial(self):
        return {"event": self.event}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            record=self.record, signed=declaration(self.record, self.event), **kwargs)

    def perform(self, form):
        return sign(actor=self.request.user, record=self.record, event=self.event,
                    **form.signature_data())

    def get_success_url(self):
        messages.success(self.request, f"Signed: {self.object.event_label}.")
        return self.record.get_absolute_url()
