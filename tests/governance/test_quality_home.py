"""Quality records where people look first (issue 12, items 1 and 4): overdue CAPAs by name
on the partnership home, in the CAPA owner's My work and in the My work of the steering
committee's members; the sites' qualifications, inspections and subcontractors in recent
activity; GMP certificates expiring and re-audits due in "Coming up"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Audit, Capa, Inspection, SiteQualification, Subcontractor
from governance.quality.deviations.selectors import capas_overdue_for_steering, capas_owned
from governance.quality.sites.models import add_months
from governance.quality.sites.selectors import certificates_expiring, reaudits_coming_up
from partnership.models import Membership
from tests.factories import MembershipFactory, UserFactory

TODAY = timezone.localdate()


@pytest.fixture
def world(saved_world):
    return saved_world


@pytest.fixture
def cast(world):
    """Stan sits on Acme–Contoso's steering committee; the world's CAPA there (owned by
    Contoso's member, due 1 May 2026, in progress) is overdue."""
    world.stan = UserFactory(email="stan@acme.test", first_name="Stan",
                             organization=world.acme)
    MembershipFactory(partnership=world.acme_contoso, user=world.stan,
                      role=Membership.Role.STEERING)
    world.capa = Capa.objects.get(partnership=world.acme_contoso)
    return world


def home(client, partnership) -> str:
    return client.get(reverse("partnership:partnership_detail",
                              args=[partnership.pk])).content.decode()


def my_work(client) -> str:
    return client.get(reverse("governance:my_work")).content.decode()


def test_the_home_names_the_overdue_capas(cast, login):
    page = home(login(cast.stan), cast.acme_contoso)
    card = page[page.index('data-testid="capa-card"'):]
    assert cast.capa.reference in card and "overdue" in card
    assert str(cast.capa.owner) in card


def test_my_work_lists_the_capas_i_own(cast, login):
    owner = cast.capa.owner
    assert capas_owned(user=owner) == [cast.capa]
    page = my_work(login(owner))
    section = page[page.index('data-testid="my-work"'):]
    assert cast.capa.reference in section and "overdue" in section
    assert 'data-kind="Overdue CAPA"' not in page  # no steering seat
    # A verified CAPA is no longer work; someone else's is not mine.
    Capa.objects.filter(pk=cast.capa.pk).update(status="verified")
    assert capas_owned(user=owner) == []
    assert cast.capa.reference not in my_work(login(owner))
    assert capas_owned(user=cast.alice) == []


def test_steering_members_see_the_overdue_capas_of_their_partnerships(cast, login):
    assert capas_overdue_for_steering(user=cast.stan) == [cast.capa]
    page = my_work(login(cast.stan))
    section = page[page.index('data-kind="Overdue CAPA"'):]
    assert cast.capa.reference in section and str(cast.capa.owner) in section
    # Not a lead's page, nor a steering member's of another partnership.
    assert capas_overdue_for_steering(user=cast.alice) == []
    MembershipFactory(partnership=cast.globex_contoso, user=UserFactory(
        email="sam@globex.test", organization=cast.globex), role=Membership.Role.STEERING)
    sam = cast.globex_contoso.memberships.get(role="steering").user
    assert [c.partnership_id for c in capas_overdue_for_steering(user=sam)] == [
        cast.globex_contoso.pk]
    # Once it is no longer overdue, it leaves the committee's list.
    Capa.objects.filter(pk=cast.capa.pk).update(due_date=TODAY + datetime.timedelta(days=3))
    assert capas_overdue_for_steering(user=cast.stan) == []
    assert 'data-kind="Overdue CAPA"' not in my_work(login(cast.stan))


def test_site_records_show_in_recent_activity(cast, login):
    qualification = SiteQualification.objects.get(partnership=cast.acme_contoso)
    Inspection.objects.create(partnership=cast.acme_contoso, qualification=qualification,
                              authority="eu", inspected_on=TODAY, outcome="nai",
                              entered_by=cast.bob)
    Subcontractor.objects.create(partnership=cast.acme_contoso, qualification=qualification,
                                 name="Leiden Sterility Services", activity="Sterility",
                                 location="Leiden", entered_by=cast.bob)
    page = home(login(cast.alice), cast.acme_contoso)
    activity = page[page.index('id="activity-h"'):]
    assert ">Inspection</span>" in activity and ">Subcontractor</span>" in activity
    assert "Leiden Sterility Services" in activity
    # Globex–Contoso's site records never show in Acme's.
    other = SiteQualification.objects.get(partnership=cast.globex_contoso)
    Subcontractor.objects.create(partnership=cast.globex_contoso, qualification=other,
                                 name="Osaka Irradiation", activity="Gamma",
                                 location="Osaka", entered_by=cast.dave)
    assert "Osaka Irradiation" not in home(login(cast.bob), cast.acme_contoso)


def test_gmp_certificates_expiring_within_90_days_are_coming_up(cast, login):
    qualification = SiteQualification.objects.get(partnership=cast.acme_contoso)

    def certificate(expires_in: int, inspected: int = 400) -> Inspection:
        return Inspection.objects.create(
            partnership=cast.acme_contoso, qualification=qualification, authority="eu",
            inspected_on=TODAY - datetime.timedelta(days=inspected), outcome="gmp_certificate",
            certificate_number=f"IT/{expires_in}", entered_by=cast.bob,
            certificate_expiry=TODAY + datetime.timedelta(days=expires_in))

    soon = certificate(120)  # too far ahead
    assert certificates_expiring(user=cast.alice, partnership=cast.acme_contoso, exclude=(),
                                 limit=6) == []
    Inspection.objects.filter(pk=soon.pk).update(
        certificate_expiry=TODAY + datetime.timedelta(days=60))
    rows = certificates_expiring(user=cast.alice, partnership=cast.acme_contoso, exclude=(),
                                 limit=6)
    assert [row.record for row in rows] == [soon]
    page = home(login(cast.alice), cast.acme_contoso)
    coming = page[page.index('id="coming-h"'):]
    assert "GMP certificate of" in coming and "expires" in coming
    # A newer certificate of the site replaces it: no news.
    certificate(400, inspected=10)
    assert certificates_expiring(user=cast.alice, partnership=cast.acme_contoso, exclude=(),
                                 limit=6) == []


def test_a_site_due_for_reaudit_is_coming_up(cast, login):
    """The world's audit of Contoso's site, closed 24 months (the interval) less 5 days
    ago: the re-audit is due in 5 days and no audit is planned."""
    audit = Audit.objects.get(partnership=cast.acme_contoso)
    end = add_months(TODAY + datetime.timedelta(days=5), -24)
    Audit.objects.filter(pk=audit.pk).update(status="closed", planned_start=end,
                                             planned_end=end)
    rows = reaudits_coming_up(user=cast.alice, partnership=cast.acme_contoso, exclude=(),
                              limit=6)
    assert [(row.record.site_id, row.date) for row in rows] == [
        (audit.site_id, TODAY + datetime.timedelta(days=5))]
    page = home(login(cast.bob), cast.acme_contoso)
    assert "due for re-audit" in page[page.index('id="coming-h"'):]
    # Planned again: off the card.
    Audit.objects.create(partnership=cast.acme_contoso, author_organization=cast.acme,
                         site=audit.site, kind="routine", scope="Routine re-audit",
                         planned_start=TODAY + datetime.timedelta(days=30),
                         planned_end=TODAY + datetime.timedelta(days=32),
                         lead_auditor=cast.alice, status="planned")
    assert reaudits_coming_up(user=cast.alice, partnership=cast.acme_contoso, exclude=(),
                              limit=6) == []
