"""Pages of programs and contracts: program list, detail and forms; contract list, detail
with negotiation rounds and documents, create, edit, lifecycle transitions, rounds, uploads
and scoped downloads."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from partnership.contracts import selectors, services
from partnership.contracts.filters import ContractFilter, ProgramFilter
from partnership.contracts.forms import (
    ContractDocumentForm,
    ContractForm,
    NegotiationRoundForm,
    ProgramForm,
    RoundAnswerForm,
)
from partnership.contracts.models import Contract, NegotiationRound, Program
from partnership.parties.selectors import site_list
from partnership.permissions import can
from partnership.scoping_views import PartnershipMixin
from partnership.signatures.selectors import signing_panel
from partnership.signatures.views import SignView
from portal.views import FilteredListView, ServiceFormView, TransitionView


class ProgramListView(PartnershipMixin, FilteredListView):
    template_name = "partnership/program_list.html"
    filterset_class = ProgramFilter

    def get_base_queryset(self):
        return selectors.program_list(user=self.request.user, partnership=self.partnership)

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_create=can(
            self.request.user, "partnership.program_create", self.partnership), **kwargs)


class ProgramMixin(PartnershipMixin):
    @cached_property
    def object(self) -> Program:
        return selectors.program_get(user=self.request.user, partnership=self.partnership,
                                     pk=self.kwargs["pk"])


class ProgramDetailView(ProgramMixin, TemplateView):
    template_name = "partnership/program_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, can_edit=can(
            self.request.user, "partnership.program_edit", self.object), **kwargs)


class ProgramSitesMixin:
    def get_form_kwargs(self):
        sites = site_list(user=self.request.user).filter(
            organization_id=self.partnership.cdmo_id)
        return {**super().get_form_kwargs(), "sites": sites}


class ProgramCreateView(ProgramSitesMixin, PartnershipMixin, ServiceFormView):
    requires_write = True
    form_class = ProgramForm
    template_name = "partnership/program_form.html"

    def perform(self, form):
        return services.program_create(
            actor=self.request.user, partnership=self.partnership, **form.cleaned_data
        )

    def get_success_url(self):
        messages.success(self.request, f"Program {self.object} created.")
        return self.object.get_absolute_url()


class ProgramEditView(ProgramSitesMixin, ProgramMixin, ServiceFormView):
    requires_write = True
    form_class = ProgramForm
    template_name = "partnership/program_form.html"

    def get_record(self):
        return self.object

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)

    def perform(self, form):
        return services.program_update(actor=self.request.user, program=self.object,
                                       **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, f"Program {self.object} saved.")
        return self.object.get_absolute_url()


class ContractMixin(PartnershipMixin):
    """Views below /p/<partnership_pk>/contracts/<contract_pk>/: the contract is scoped."""

    @cached_property
    def contract(self) -> Contract:
        return selectors.contract_get(user=self.request.user, partnership=self.partnership,
                                      pk=self.kwargs["contract_pk"])

    def get_success_url(self):
        return self.contract.get_absolute_url()


class ContractListView(PartnershipMixin, FilteredListView):
    template_name = "partnership/contract_list.html"
    filterset_class = ContractFilter

    def get_base_queryset(self):
        return selectors.contract_list(user=self.request.user, partnership=self.partnership)

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_create=can(
            self.request.user, "partnership.contract_create", self.partnership), **kwargs)


class ContractDetailView(ContractMixin, TemplateView):
    template_name = "partnership/contract_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, contract = self.request.user, self.contract
        rounds = list(selectors.negotiation_round_list(
            user=user, partnership=self.partnership, contract=contract))
        party = self.partnership.party_of(user)
        may = {action: can(user, f"partnership.{action}", contract) for action in (
            "contract_edit", "contract_transition", "negotiationround_add",
            "negotiationround_answer", "contractdocument_upload")}
        context.update(
            object=contract,
            rounds=rounds,
            stats=selectors.negotiation_stats(rounds, negotiating=contract.takes_rounds),
            documents=selectors.contract_document_list(
                user=user, partnership=self.partnership, contract=contract),
            children=selectors.contract_list(
                user=user, partnership=self.partnership).filter(parent=contract),
            # Executed by both parties' signatures (the panel's Sign button), not a step.
            transitions={status: label for status, label in
                         Contract.WORKFLOW.next_statuses(contract.status).items()
                         if status not in Contract.SIGNED_STEPS}
            if may["contract_transition"] else {},
            signing=signing_panel(user=user, record=contract, sign_url=reverse(
                "partnership:contract_sign", args=[self.partnership.pk, contract.pk])),
            can_edit=may["contract_edit"],
            can_add_round=may["negotiationround_add"] and contract.takes_rounds,
            can_upload=may["contractdocument_upload"],
            # The rounds whose answer the user's party dates (NegotiationRound.FIELD_RULES).
            answerable={round_.pk for round_ in rounds if may["negotiationround_answer"]
                        and "answered_on" not in NegotiationRound.FIELD_RULES.locked(
                            round_, party)},
            round_form=NegotiationRoundForm(),
            document_form=ContractDocumentForm(),
        )
        context["stats_warnings"] = context["stats"].warnings(self.partnership)
        return context


class ContractFormMixin:
    form_class = ContractForm
    template_name = "partnership/contract_form.html"
    requires_write = True

    def get_form_kwargs(self):
        parents = selectors.contract_list(user=self.request.user, partnership=self.partnership)
        return {**super().get_form_kwargs(), "parents": parents}

    def get_success_url(self):
        messages.success(self.request, f"Contract {self.object.reference} saved.")
        return self.object.get_absolute_url()


class ContractCreateView(ContractFormMixin, PartnershipMixin, ServiceFormView):
    def perform(self, form):
        return services.contract_create(actor=self.request.user, partnership=self.partnership,
                                        **form.cleaned_data)


class ContractEditView(ContractFormMixin, ContractMixin, ServiceFormView):
    def get_record(self):
        return self.contract

    def get_context_data(self, **kwargs):
        context = super().get_context_data(object=self.contract, **kwargs)
        if self.contract.status == Contract.Status.EXECUTED:
            context["intro_template"] = "partnership/contract_signed_notice.html"
        return context

    def perform(self, form):
        return services.contract_update(actor=self.request.user, contract=self.contract,
                                        **form.cleaned_data)


class ContractTransitionView(ContractMixin, TransitionView):
    requires_write = True

    def get_record(self):
        return self.contract

    def transition(self, record, status):
        return services.contract_transition(actor=self.request.user, contract=record,
                                            status=status)


class ContractSignView(ContractMixin, SignView):
    def signed_record(self):
        return self.contract


class NegotiationRoundCreateView(ContractMixin, ServiceFormView):
    requires_write = True
    form_class = NegotiationRoundForm
    template_name = "partnership/negotiationround_form.html"

    def perform(self, form):
        return services.negotiation_round_add(actor=self.request.user, contract=self.contract,
                                              **form.cleaned_data)


class NegotiationRoundAnswerView(ContractMixin, ServiceFormView):
    requires_write = True
    form_class = RoundAnswerForm
    template_name = "partnership/negotiationround_form.html"

    @cached_property
    def round(self) -> NegotiationRound:
        return get_object_or_404(selectors.negotiation_round_list(
            user=self.request.user, partnership=self.partnership, contract=self.contract),
            pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        """Refused, on GET as on POST, to the party that sent the draft: the party that
        answered dates its answer (NegotiationRound.FIELD_RULES; the service refuses too)."""
        locked = NegotiationRound.FIELD_RULES.locked(
            self.round, self.partnership.party_of(self.request.user))
        if "answered_on" in locked:
            raise PermissionDenied(locked["answered_on"])
        return super().get_form_kwargs()

    def get_initial(self):
        return {"answered_on": self.round.answered_on}

    def get_context_data(self, **kwargs):
        return super().get_context_data(round=self.round, **kwargs)

    def perform(self, form):
        return services.negotiation_round_answer(actor=self.request.user, round_=self.round,
                                                 **form.cleaned_data)


class ContractDocumentUploadView(ContractMixin, ServiceFormView):
    requires_write = True
    form_class = ContractDocumentForm
    template_name = "partnership/contractdocument_form.html"

    def perform(self, form):
        document = services.contract_document_upload(
            actor=self.request.user, contract=self.contract, file=form.cleaned_data["file"])
        messages.success(self.request, f"{document.name} attached.")
        return document


class ContractDocumentDownloadView(PartnershipMixin, View):
    """Files are never served from a public folder: only this scoped view hands them out."""

    def get(self, request, *args, **kwargs):
        document = get_object_or_404(selectors.contract_document_list(
            user=request.user, partnership=self.partnership), pk=kwargs["pk"])
        return document.download_response(request)
