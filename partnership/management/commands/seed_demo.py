"""Demo data: the cast every feature's demo builds on (README, Demo logins).

Idempotent: run it again and it updates what exists instead of adding duplicates. One
sponsor's programs and people never appear in another sponsor's partnership.
"""

import os

from django.core.management.base import BaseCommand
from django.db import transaction

from partnership.models import Membership, Organization, Partnership, Program, Site, User

ORGANIZATIONS = {
    "Northwind Biologics": "sponsor",
    "Helix Therapeutics": "sponsor",
    "Meridian Biomanufacturing": "cdmo",
    "Aurora Analytical Labs": "cdmo",
}

SITES = [
    # organization, name, country, city, time zone, capabilities
    ("Meridian Biomanufacturing", "Meridian Boston", "United States", "Boston",
     "America/New_York", ["drug_substance", "analytical"]),
    ("Meridian Biomanufacturing", "Meridian Cambridge", "United Kingdom", "Cambridge",
     "Europe/London", ["drug_product", "fill_finish"]),
    ("Meridian Biomanufacturing", "Meridian Suzhou", "China", "Suzhou",
     "Asia/Shanghai", ["drug_substance", "packaging"]),
    ("Meridian Biomanufacturing", "Meridian Cape Town", "South Africa", "Cape Town",
     "Africa/Johannesburg", ["fill_finish", "packaging"]),
    ("Aurora Analytical Labs", "Aurora Milan", "Italy", "Milan",
     "Europe/Rome", ["analytical"]),
    ("Northwind Biologics", "Northwind Basel", "Switzerland", "Basel",
     "Europe/Zurich", ["analytical"]),
    ("Helix Therapeutics", "Helix San Diego", "United States", "San Diego",
     "America/Los_Angeles", ["analytical"]),
]

PARTNERSHIPS = {
    ("Northwind Biologics", "Meridian Biomanufacturing"):
        "Clinical and commercial supply of Northwind's biologics.",
    ("Northwind Biologics", "Aurora Analytical Labs"):
        "Release and stability testing for Northwind's programs.",
    ("Helix Therapeutics", "Meridian Biomanufacturing"):
        "Drug substance and fill-finish for Helix's oncology portfolio.",
}
NM = ("Northwind Biologics", "Meridian Biomanufacturing")
NA = ("Northwind Biologics", "Aurora Analytical Labs")
HM = ("Helix Therapeutics", "Meridian Biomanufacturing")

PEOPLE = [
    # e-mail, first, last, title, organization, org admin, time zone, seats
    ("nora@northwind.example", "Nora", "Lindqvist", "Alliance manager", "Northwind Biologics",
     True, "Europe/Zurich", [(NM, "lead"), (NA, "lead")]),
    ("quinn@northwind.example", "Quinn", "Okafor", "Head of external quality",
     "Northwind Biologics", False, "Europe/Zurich", [(NM, "qa_lead"), (NA, "qa_lead")]),
    ("sam@northwind.example", "Sam", "Whitaker", "VP technical operations",
     "Northwind Biologics", False, "America/New_York", [(NM, "steering"), (NA, "steering")]),
    ("hana@helix.example", "Hana", "Sato", "External manufacturing lead", "Helix Therapeutics",
     True, "America/Los_Angeles", [(HM, "lead")]),
    ("mei@meridian.example", "Mei", "Chen", "Project manager", "Meridian Biomanufacturing",
     False, "America/New_York", [(NM, "lead")]),
    ("ravi@meridian.example", "Ravi", "Iyer", "QA manager", "Meridian Biomanufacturing",
     False, "Europe/London", [(NM, "qa_lead")]),
    ("max@meridian.example", "Max", "Keller", "Project manager", "Meridian Biomanufacturing",
     False, "Asia/Shanghai", [(HM, "lead")]),
    ("olga@meridian.example", "Olga", "Petrova", "Head of client services",
     "Meridian Biomanufacturing", True, "Europe/London", []),
    ("ari@aurora.example", "Ari", "Rossi", "Client manager", "Aurora Analytical Labs",
     True, "Europe/Rome", [(NA, "lead")]),
]

PROGRAMS = [
    # partnership, code, name, modality, phase, internal
    (NM, "NWB-101", "Velarimab", "biologic", "phase_3", False),
    (NM, "NWB-204", "Torvacept", "biologic", "phase_1", False),
    (NM, "NWB-310", "Second-source assessment", "biologic", "preclinical", True),
    (NA, "NWB-101", "Velarimab", "biologic", "phase_3", False),
    (HM, "HLX-7", "Orenvatinib conjugate", "biologic", "phase_2", False),
    (HM, "HLX-12", "Helixumab", "biologic", "commercial", False),
]


class Command(BaseCommand):
    help = "Create or update the demo organizations, sites, partnerships, people and programs."

    @transaction.atomic
    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD", "lockstep-demo")
        orgs = {name: Organization.objects.update_or_create(name=name, defaults={"kind": kind})[0]
                for name, kind in ORGANIZATIONS.items()}
        for org, name, country, city, zone, capabilities in SITES:
            Site.objects.update_or_create(organization=orgs[org], name=name, defaults={
                "country": country, "city": city, "time_zone": zone,
                "capabilities": capabilities})
        partnerships = {
            pair: Partnership.objects.update_or_create(
                sponsor=orgs[pair[0]], cdmo=orgs[pair[1]], defaults={"description": text})[0]
            for pair, text in PARTNERSHIPS.items()
        }
        for email, first, last, title, org, is_admin, zone, seats in PEOPLE:
            user = self._person(email, password, first_name=first, last_name=last,
                                job_title=title, organization=orgs[org], is_org_admin=is_admin,
                                time_zone=zone)
            for pair, role in seats:
                Membership.objects.update_or_create(
                    partnership=partnerships[pair], user=user, defaults={"role": role})
        for pair, code, name, modality, phase, internal in PROGRAMS:
            partnership = partnerships[pair]
            Program.objects.update_or_create(partnership=partnership, code=code, defaults={
                "name": name, "modality": modality, "phase": phase, "is_internal": internal,
                "author_organization": partnership.sponsor})
        admin = self._person("admin@lockstep.example", password, first_name="Platform",
                             last_name="Operator", is_staff=True, is_superuser=True)
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready: {len(PEOPLE) + 1} people, {len(partnerships)} partnerships "
            f"(operator: {admin.email})."))

    def _person(self, email, password, **fields):
        user, created = User.objects.update_or_create(email=email, defaults=fields)
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        return user
