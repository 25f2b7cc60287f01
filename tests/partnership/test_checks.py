"""The system check of the scoping declarations (partnership.checks) and the base it asks
for: a record hidden with a parent lives in the parent's partnership, and says so.

The models with bad declarations are built in an isolated registry, so they exist for the
test only (no table, and no other test meets them among the app's models)."""

import datetime

from django.core import checks
from django.core.checks.registry import registry
from django.db import models
from django.test.utils import isolate_apps

from partnership.checks import check_scoped_model, check_scoped_models
from partnership.contracts.models import Contract, NegotiationRound
from partnership.parties.models import Partnership
from partnership.scoping import PartnershipChild, internal_rule


def _ids(model) -> list[str]:
    return sorted(error.id for error in check_scoped_model(model))


def _partnership():
    return models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")


def _contract(**options):
    return models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="+", **options)


def test_the_real_models_declare_what_the_rule_needs():
    assert check_scoped_models() == []


def test_the_check_runs_with_every_manage_py_command():
    assert check_scoped_models in registry.registered_checks
    assert not [error for error in checks.run_checks(tags=[checks.Tags.models])
                if error.id.startswith("partnership.")]


@isolate_apps("tests")
def test_a_child_that_names_no_parent_is_refused():
    class Note(PartnershipChild):
        partnership = _partnership()
        contract = _contract()

        class Meta:
            app_label = "tests"

    assert _ids(Note) == ["partnership.E001"]


@isolate_apps("tests")
def test_a_parent_that_is_no_foreign_key_is_refused():
    class Note(PartnershipChild):
        PARENT = "title"
        INTERNAL_VIA = ("contract",)
        partnership = _partnership()
        contract = _contract()
        title = models.CharField(max_length=20)

        class Meta:
            app_label = "tests"

    class Other(models.Model):  # noqa: DJ008 - lives for this test only
        INTERNAL_VIA = ("agreement",)
        partnership = _partnership()

        class Meta:
            app_label = "tests"

    # PARENT names a text field; and the contract hides it without being the parent.
    assert _ids(Note) == ["partnership.E001", "partnership.E002"]
    assert _ids(Other) == ["partnership.E001"]


@isolate_apps("tests")
def test_a_record_hidden_with_a_parent_it_does_not_take_its_partnership_from_is_refused():
    class Note(models.Model):  # noqa: DJ008 - lives for this test only
        INTERNAL_VIA = ("contract",)
        partnership = _partnership()
        contract = _contract()

        class Meta:
            app_label = "tests"

    class Reply(PartnershipChild):
        PARENT = "contract"
        INTERNAL_VIA = ("contract", "reference")
        partnership = _partnership()
        contract = _contract()
        reference = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "tests"

    assert _ids(Note) == ["partnership.E002"]
    [error] = check_scoped_model(Reply)
    assert error.id == "partnership.E002" and "'reference'" in error.msg


@isolate_apps("tests")
def test_a_parent_that_may_be_empty_must_be_declared_so():
    class Note(PartnershipChild):
        PARENT = "contract"
        INTERNAL_VIA = ("contract",)
        partnership = _partnership()
        contract = _contract(null=True)

        class Meta:
            app_label = "tests"

    class DeclaredNote(PartnershipChild):
        PARENT = "contract"
        INTERNAL_VIA = ("contract",)
        INTERNAL_VIA_NULLABLE = ("contract",)
        partnership = _partnership()
        contract = _contract(null=True)

        class Meta:
            app_label = "tests"

    class WrongNote(PartnershipChild):
        PARENT = "contract"
        INTERNAL_VIA = ("contract",)
        INTERNAL_VIA_NULLABLE = ("parent",)
        partnership = _partnership()
        contract = _contract()

        class Meta:
            app_label = "tests"

    assert _ids(Note) == ["partnership.E003"]
    assert _ids(DeclaredNote) == []
    assert _ids(WrongNote) == ["partnership.E004"]
    # Declared so, a row without the parent is hidden by nothing beyond it.
    assert "('contract__isnull', True)" in str(internal_rule(DeclaredNote, None))
    assert "contract__isnull" not in str(internal_rule(Note, None))


@isolate_apps("tests")
def test_a_child_without_a_partnership_is_refused():
    class Note(PartnershipChild):
        PARENT = "contract"
        contract = _contract()

        class Meta:
            app_label = "tests"

    assert _ids(Note) == ["partnership.E005"]


def test_a_child_takes_its_partnership_from_its_parent(world):
    """Whatever partnership a caller passes, or none, the row lands in its parent's."""
    contract = Contract.objects.filter(partnership=world.acme_contoso).first()
    round_ = NegotiationRound(partnership=world.globex_contoso, contract=contract, number=90,
                              sent_by="sponsor", sent_on=datetime.date(2026, 1, 5),
                              summary="Draft")
    round_.save()
    assert NegotiationRound.objects.get(pk=round_.pk).partnership_id == world.acme_contoso.pk

    unsaved = NegotiationRound(contract_id=contract.pk, number=91, sent_by="cdmo",
                               sent_on=datetime.date(2026, 1, 6), summary="Answer")
    unsaved.save()  # the parent is read from the database when the row does not hold it
    assert NegotiationRound.objects.get(pk=unsaved.pk).partnership_id == world.acme_contoso.pk

