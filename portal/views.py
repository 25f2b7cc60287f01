"""Generic page plumbing: list pages with filter bars and forms that call services."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.http import require_safe
from django.views.generic import FormView, ListView
from django_htmx.http import HttpResponseClientRedirect

from portal.filters import BoundedChoiceField, require_scoped
from portal.pagination import BoundedPaginator
from portal.registries import landing as landing_registry


class HtmxPartialMixin:
    """An htmx request gets the named partial of the page's template, a normal one the page."""

    partial_name = "results"

    def get_template_names(self):
        names = super().get_template_names()
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            return [f"{names[0]}#{self.partial_name}"]
        return names


class FilteredListView(HtmxPartialMixin, ListView):
    """A list page: filter bar kept in the URL, sortable columns, pagination.

    An htmx request (filter change, page link, sort link) gets only the `results` partial.
    The count stops at 10,000 (portal.pagination.BoundedPaginator): counting a large
    sponsor's hundreds of thousands of rows on every page would cost more than the page.
    """

    filterset_class = None
    paginate_by = 25
    paginator_class = BoundedPaginator

    def get_base_queryset(self):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        if "choices_of" in request.GET:
            return self.bounded_choices(request.GET["choices_of"])
        return super().get(request, *args, **kwargs)

    def bounded_choices(self, name: str):
        """?choices_of=<filter>&<filter>_q=<text>: the select of a filter whose choices
        grow with the data (BoundedChoiceField), offering what matches the text — what the
        search box beside it fetches as the person types. Its choices come from the filter
        set, scoped like the filter itself; the list's rows are not read."""
        require_scoped(self.filterset_class)
        filterset = self.filterset_class(self.request.GET, request=self.request,
                                         queryset=self.get_base_queryset().none())
        filterset.form.auto_id = "filter_%s"
        if not isinstance(filterset.form.fields.get(name), BoundedChoiceField):
            raise Http404
        return TemplateResponse(self.request, "components/bounded_choices.html",
                                {"field": filterset.form[name]})

    def get_queryset(self):
        require_scoped(self.filterset_class)
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=self.get_base_queryset(), request=self.request
        )
        # Distinct ids, so a form opened in the dialog can use the same field names.
        self.filterset.form.auto_id = "filter_%s"
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context


NO_LONGER_ELIGIBLE = " (no longer eligible)"


def keep_current_choices(form, record) -> None:
    """The people a record names now stay among the choices of its edit form, marked, even
    when they would no longer be offered (an owner whose seat was removed or changed to a
    read-only role): otherwise the select shows "---------", and saving the form unchanged
    would clear the owner without a word or fail on a field the user never touched. The
    service decides whether keeping them is allowed (an unchanged owner is).

    Only people, and only as the saved record names them — never a value from the URL or
    the body (`?meeting=<id>` presets a create form: a foreign id must stay unoffered)."""
    user_model = get_user_model()
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is None or queryset.model is not user_model:
            continue
        try:
            model_field = record._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if model_field.many_to_many:
            pks = set(getattr(record, name).values_list("pk", flat=True))
        elif model_field.many_to_one:
            pks = {getattr(record, model_field.attname)} - {None}
        else:
            continue
        missing = pks - set(queryset.filter(pk__in=pks).values_list("pk", flat=True))
        if not missing:
            continue
        field.queryset = user_model._default_manager.filter(
            Q(pk__in=queryset.values("pk")) | Q(pk__in=missing))
        label = field.label_from_instance
        field.label_from_instance = lambda obj, label=label, missing=missing: (
            label(obj) + (NO_LONGER_ELIGIBLE if obj.pk in missing else ""))


class ServiceFormView(HtmxPartialMixin, FormView):
    """A form whose valid data goes to a service; the service's ValidationError becomes
    field errors, and nothing is saved (services run in one transaction).

    Opened in a dialog by htmx it renders only the `form` partial and, once saved, tells
    the browser where to go next.
    """

    partial_name = "form"

    def get_record(self):
        """The record this form edits (None on a create form), given to the form as
        `record=` (portal.forms.ServiceForm): its values fill the form, the form never
        changes it, and the service reads the row again under a lock."""
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        record = self.get_record()
        if record is not None:
            kwargs["record"] = record
        return kwargs

    def get_form(self, form_class=None):
        """No 'internal' box on the other party's record: only the party that wrote a record
        may hide it (partnership.records.shared_record_update refuses anyone else). Nor an
        open field that the record's FIELD_RULES keep from the user's party."""
        form = super().get_form(form_class)
        record = getattr(form, "record", None)
        if "is_internal" in form.fields and record is not None and \
                record.author_organization_id != self.request.user.organization_id:
            del form.fields["is_internal"]
        if record is not None:
            self.limit_to_field_rules(form, record)
            keep_current_choices(form, record)
        return form

    def limit_to_field_rules(self, form, record) -> None:
        """Show the fields of `form` that `record`'s FIELD_RULES do not let the user's party
        change now as disabled, with the reason, and holding their current value only:
        the service would refuse any other, and a disabled field keeps what it holds
        whatever is posted. Views whose form is not bound to the record call it too."""
        rules = getattr(type(record), "FIELD_RULES", None)
        partnership = getattr(self, "partnership", None)
        if rules is None or partnership is None:
            return
        for name, reason in rules.locked(record, partnership.party_of(self.request.user)).items():
            field = form.fields.get(name)
            if field is None:
                continue
            field.disabled, field.help_text = True, reason
            queryset = getattr(field, "queryset", None)
            if queryset is not None:
                current = form.get_initial_for_field(field, name)
                many = hasattr(current, "__iter__") and not isinstance(current, str)
                values = list(current) if many else [current]
                field.queryset = queryset.model._default_manager.filter(pk__in=[
                    getattr(value, "pk", value) for value in values if value is not None])

    def perform(self, form):
        """Call the service; return the saved object (or None)."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.perform(form)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                form.add_error(None, error.messages)
            return self.form_invalid(form)
        url = self.get_success_url()
        if self.request.htmx:
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)


class TransitionView(View):
    """POST status=<next status>: one of the status buttons of a detail page. The record's
    workflow (portal.workflow) decides; a refused step comes back as a message. Back to the
    record, or to `next` when the button was elsewhere (My work) and it is of this site.
    Pair it with a PartnershipMixin subclass and set requires_write = True on the view."""

    def get_record(self):
        raise NotImplementedError

    def transition(self, record, status: str):
        """Call the service; return the record after the step."""
        raise NotImplementedError

    def success_message(self, record) -> str:
        return f"“{record}” is now {record.get_status_display().lower()}."

    def post(self, request, *args, **kwargs):
        record = self.get_record()
        try:
            record = self.transition(record, request.POST.get("status", ""))
            messages.success(request, self.success_message(record))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            url = record.get_absolute_url()
        return HttpResponseClientRedirect(url) if request.htmx else HttpResponseRedirect(url)


@login_required
def landing(request):
    """Where log-in leads: the page an app made for this person (portal.registries.landing),
    else the list of their partnerships."""
    return redirect(landing_registry.landing_url(request.user)
                    or reverse("partnership:partnership_list"))


def health(request):
    """Liveness for load balancers and docker-compose: the database and Redis answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        cache.set("health", "ok", 5)
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        return JsonResponse({"status": "error", "detail": type(error).__name__}, status=503)
    return JsonResponse({"status": "ok"})


@require_safe
def floor(request):
    """The benchmark's floor (`make bench`, portal.bench): the whole middleware stack and one
    trivial template, with no session, no user and no query, so every page's time reads as
    a ratio to what Django and gunicorn cost on this machine in the same rounds."""
    return HttpResponse(render_to_string("portal/floor.html"))
