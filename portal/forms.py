"""`ServiceForm`: a ModelForm that reads input and leaves the record to the service; and
`FutureDatesMixin`, for a form whose dates must lie ahead."""

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.forms.models import model_to_dict

from portal.validation import RECORDS_THE_PAST, past_date_errors


class ServiceForm(forms.ModelForm):
    """Built with `record=` (its current values become the form's `initial`), never bound
    to the model instance: the form checks each field's input; the service reads the row
    under a lock (portal.locking.locked), applies the change, runs full_clean() and says
    no with field errors that ServiceFormView shows on the form. So nothing a form does
    can change a record before the service has decided, and the model's own checks run
    once, in the service, whichever door the change came through.

    `self.record` is the saved record (None on a create form); `self.instance` is only the
    empty instance ModelForm needs for its fields and is never saved.
    """

    def __init__(self, *args, record=None, **kwargs):
        self.record = record
        if record is not None:
            current = model_to_dict(record, fields=self._meta.fields, exclude=self._meta.exclude)
            kwargs["initial"] = {**current, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)

    def _post_clean(self) -> None:
        """Each model field's own validators (a date in range, a number within its bounds)
        on the value its form field accepted, as a ModelForm does, so a bad value is named
        beside its field even while other fields are missing and the service is not yet
        reached. The record's own rules (clean(), uniqueness, the parties') are the
        service's: it runs them on the row it locked."""
        for name, value in list(self.cleaned_data.items()):
            try:
                model_field = self._meta.model._meta.get_field(name)
            except FieldDoesNotExist:  # a form field of its own
                continue
            if not model_field.concrete or model_field.many_to_many:
                continue
            try:
                model_field.run_validators(value)
            except ValidationError as error:
                self.add_error(name, error)


class FutureDatesMixin:
    """A form (a ServiceForm or a plain one) whose `future_dates` may not lie in the past:
    a due date, a needed-by or committed date. An edit keeps the record's own date (a
    ServiceForm's `record`). With `past_confirmation` set, the form has that box
    ("This records the past"), and a past date goes through once it is ticked: for records
    that are entered after the fact. The box never reaches the service."""

    future_dates: tuple[str, ...] = ()
    past_confirmation: str | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.past_confirmation:
            self.fields[self.past_confirmation] = forms.BooleanField(
                required=False, label=RECORDS_THE_PAST)

    def clean(self):
        data = super().clean()
        confirmed = bool(self.past_confirmation and data.pop(self.past_confirmation, False))
        if not confirmed:
            errors = past_date_errors(
                {name: data.get(name) for name in self.future_dates},
                current=getattr(self, "record", None),
                confirmable=bool(self.past_confirmation))
            for name, error in errors.items():
                self.add_error(name, error)
        return data
