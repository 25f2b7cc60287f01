"""The scoping rule of DESIGN §2, asked directly of visible_to()."""

import pytest
from django.contrib.auth.models import AnonymousUser

from partnership.models import Membership, Organization, Partnership, Program, Site, User


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def names(queryset):
    return {str(obj) for obj in queryset}


def test_members_see_only_their_partnerships(world):
    assert set(Partnership.objects.visible_to(world.alice)) == {world.acme_contoso,
                                                                world.acme_labcorp}
    assert set(Partnership.objects.visible_to(world.bob)) == {world.acme_contoso}
    assert set(Partnership.objects.visible_to(world.carol)) == {world.globex_contoso}
    assert set(Partnership.objects.visible_to(world.oscar)) == set()
    assert set(Partnership.objects.visible_to(AnonymousUser())) == set()


def test_org_admin_sees_every_partnership_of_the_organization(world):
    assert set(Partnership.objects.visible_to(world.olga)) == {world.acme_contoso,
                                                               world.globex_contoso}


def test_a_cdmo_never_reveals_its_other_sponsors(world):
    """Acme's people must not learn that Contoso also serves Globex."""
    assert world.globex not in Organization.objects.visible_to(world.alice)
    assert world.globex not in Organization.objects.visible_to(world.bob)
    assert world.globex_site not in Site.objects.visible_to(world.bob)
    assert world.dave not in User.objects.visible_to(world.bob)
    assert world.carol not in User.objects.visible_to(world.bob)  # a colleague on Globex work
    assert not Membership.objects.visible_to(world.bob).filter(
        partnership=world.globex_contoso).exists()
    assert world.globex_program not in Program.objects.visible_to(world.bob)


def test_cdmo_sites_are_visible_to_each_sponsor_it_serves(world):
    contoso_sites = set(world.contoso.sites.all())
    assert contoso_sites <= set(Site.objects.visible_to(world.alice))
    assert contoso_sites <= set(Site.objects.visible_to(world.dave))


def test_internal_records_stay_with_their_author(world):
    assert world.acme_internal_program in Program.objects.visible_to(world.alice)
    assert world.acme_internal_program in Program.objects.visible_to(world.vera)
    assert world.acme_internal_program not in Program.objects.visible_to(world.bob)
    assert world.acme_program in Program.objects.visible_to(world.bob)


def test_a_membership_must_belong_to_one_of_the_two_parties(world):
    import pytest
    from django.core.exceptions import ValidationError

    membership = Membership(partnership=world.acme_contoso, user=world.dave, role="member")
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "user" in error.value.message_dict


def test_roles(world):
    assert world.acme_contoso.role_of(world.alice) == "lead"
    assert world.acme_contoso.role_of(world.olga) == "admin"
    assert world.acme_contoso.can_write(world.bob)
    assert not world.acme_contoso.can_write(world.vera)
    assert world.acme_contoso.role_of(world.dave) is None


def test_what_hangs_under_an_internal_record_is_internal_too(world):
    from partnership.models import ContractDocument, NegotiationRound
    from tests.factories import ContractDocumentFactory, ContractFactory, NegotiationRoundFactory

    secret = ContractFactory(partnership=world.acme_contoso, is_internal=True,
                             title="Acme's own draft of a second-source agreement")
    round_ = NegotiationRoundFactory(contract=secret, number=1)
    document = ContractDocumentFactory(contract=secret)
    for model, row in ((NegotiationRound, round_), (ContractDocument, document)):
        assert row in model.objects.visible_to(world.alice)
        assert row not in model.objects.visible_to(world.bob)
