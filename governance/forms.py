"""What every form of governance's records shares: FieldCheckedForm."""

from django.core.exceptions import FieldDoesNotExist, ValidationError

from portal.forms import ServiceForm


class FieldCheckedForm(ServiceForm):
    """A ServiceForm that also runs each model field's own validators (a date in range, a
    number within its bounds) on the value its form field accepted, as a ModelForm did:
    a create form sent with required fields left empty names a bad date beside them,
    where the service, which runs the whole record's checks, is not reached until the
    form is valid. The record's own rules (clean(), uniqueness, the parties') stay the
    service's."""

    def _post_clean(self) -> None:
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
