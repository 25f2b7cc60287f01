"""Serializer fields every app's API uses, the base of every model serializer, and the
check of dates that must lie ahead."""

from rest_framework import serializers

from portal.validation import RECORDS_THE_PAST, past_date_errors


class WholeIdField(serializers.PrimaryKeyRelatedField):
    """An id: a whole number (or its digits as text). JSON's 1.9 was looked up as 1 (and
    saved so), as Python's int() rounds a float down; DRF already refuses true and false."""

    def to_internal_value(self, data):
        if isinstance(data, float):
            self.fail("incorrect_type", data_type="number with a fraction")
        return super().to_internal_value(data)


class ScopedRelatedField(WholeIdField):
    """An id in a request body, looked up only among what the caller may see (DESIGN §2):
    a foreign id gets the same 'does not exist' answer as a missing one."""

    def __init__(self, model, filters: dict | None = None, **kwargs):
        self.scoped_model, self.filters = model, filters or {}
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.scoped_model.objects.visible_to(self.context["request"].user).filter(
            **self.filters)


class VisibleRelatedField(WholeIdField):
    """The field a model serializer builds for a relation it was not given one for: the
    model's own queryset (with the model field's `limit_choices_to`), narrowed to what the
    caller may see. It is what the browsable API lists in a write form's choices and what
    an id in a body is looked up in, so a relation nobody thought to declare never lists
    or accepts a foreign record (a model without `visible_to` fails loudly here)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        scoped = queryset.model.objects.visible_to(self.context["request"].user)
        return scoped.filter(pk__in=queryset.values("pk")) if queryset.query.has_filters() \
            else scoped


# Base of every model serializer of the project (tests/isolation checks it): the relations
# it builds on its own are scoped like the ones declared with ScopedRelatedField. (A comment,
# not a docstring: the schema would print a docstring as every serializer's description.)
class ScopedModelSerializer(serializers.ModelSerializer):
    serializer_related_field = VisibleRelatedField

    def to_internal_value(self, data):
        """A record stays in the partnership it was created in: another one in a change is
        refused, not silently ignored."""
        values = super().to_internal_value(data)
        moved_to = values.get("partnership")
        if self.instance is not None and moved_to is not None and \
                moved_to.pk != getattr(self.instance, "partnership_id", moved_to.pk):
            raise serializers.ValidationError(
                {"partnership": "A record stays in the partnership it was created in."})
        return values


class FutureDatesMixin:
    """A serializer whose `future_dates` may not lie in the past (portal.forms.
    FutureDatesMixin's rule, for the API): 400 with the field's error, unless the date is
    the one the record already holds, or the body says `records_past: true` where the
    serializer has `past_confirmation` (its BooleanField, declared by the serializer, never
    passed on to the service)."""

    future_dates: tuple[str, ...] = ()
    past_confirmation: str | None = None

    def validate(self, attrs):
        attrs = super().validate(attrs)
        confirmed = bool(self.past_confirmation and attrs.pop(self.past_confirmation, False))
        if not confirmed:
            errors = past_date_errors({name: attrs.get(name) for name in self.future_dates},
                                      current=self.instance if not isinstance(
                                          self.instance, list | tuple) else None,
                                      confirmable=bool(self.past_confirmation))
            if errors:
                raise serializers.ValidationError(
                    {name: error.messages for name, error in errors.items()})
        return attrs


def records_past_field() -> serializers.BooleanField:
    """The API's "this records the past" flag of a FutureDatesMixin serializer."""
    return serializers.BooleanField(write_only=True, required=False, default=False,
                                    help_text=RECORDS_THE_PAST + ": lets a past date through.")
