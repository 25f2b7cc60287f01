"""Demo qualification of Meridian's and Aurora's sites in each of their partnerships (run by
seed_demo_governance after the audits; idempotent): the statuses a QA lead meets (approved,
with conditions, under qualification, not assessed), regulatory inspections (an FDA 483, an
EU GMP certificate, an MHRA inspection), a sterility lab Meridian uses with Northwind's
written permission and an endotoxin lab still awaiting it, and the programmes' intervals —
Northwind–Aurora's twelve months put Aurora Milan on the re-audit list. Written through the
services by the people whose step each is (Quinn for Northwind, Hana for Helix, whose head
of quality holds no QA lead's seat); a rerun leaves what exists as it is.
"""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from governance.models import AuditProgramme, Inspection, SiteQualification, Subcontractor
from governance.quality.sites import services
from partnership.models import Partnership, Site, User

NM = ("Northwind Biologics", "Meridian Biomanufacturing")
NA = ("Northwind Biologics", "Aurora Analytical Labs")
HM = ("Helix Therapeutics", "Meridian Biomanufacturing")

#: partnership -> (the sponsor's QA voice, months between routine audits, after a critical)
PROGRAMMES = {NM: ("quinn@northwind.example", 24, 12), NA: ("quinn@northwind.example", 12, 6),
              HM: ("hana@helix.example", 36, 12)}

# partnership, site, status, approved activities, conditions or reason
QUALIFICATIONS = [
    (NM, "Meridian Boston", "approved", ["drug_substance", "release_testing"], ""),
    (NM, "Meridian Cambridge", "approved_with_conditions", ["drug_product", "fill_finish"],
     "Filling line F2 may fill NWB-101 only after the for-cause audit's critical finding on "
     "airflow visualisation is closed: smoke studies of F2-A under dynamic conditions to be "
     "repeated and reviewed by Northwind QA before the next campaign."),
    (NM, "Meridian Suzhou", "under_qualification", [], ""),
    (NM, "Meridian Cape Town", "approved_with_conditions", ["fill_finish", "packaging"],
     "No new product introductions: the site closes on 30 June 2027. NWB-204 clinical "
     "supply continues until its transfer to Cambridge is qualified."),
    (NA, "Aurora Milan", "approved", ["release_testing", "stability"], ""),
    (HM, "Meridian Boston", "not_assessed", [], ""),
    (HM, "Meridian Cambridge", "approved", ["drug_product", "fill_finish"], ""),
    (HM, "Meridian Suzhou", "approved", ["drug_substance", "packaging"], ""),
    (HM, "Meridian Cape Town", "approved_with_conditions", ["drug_substance", "fill_finish"],
     "HLX-7 conjugation and fill only. Site closure announced for 30 June 2027: no further "
     "Helix lots to be made at Cape Town after the March 2027 campaign."),
]

# partnership, site, entered by, authority, agency, days ago, outcome, observations,
# certificate number, certificate valid for (days), summary
INSPECTIONS = [
    (NM, "Meridian Boston", "ravi@meridian.example", "fda", "FDA CDER / ORA", 410,
     "form_483", 3, "", None,
     "Pre-license inspection for a third-party BLA (not Northwind's product). Form 483 with "
     "three observations: cleaning validation of the UF/DF skid did not cover the worst-case "
     "protein load; alarm management of the bioreactor BMS was not periodically reviewed; "
     "two deviations were closed without an effectiveness check. Meridian's response was "
     "sent within 15 working days; FDA classified the inspection VAI."),
    (NM, "Meridian Cambridge", "ravi@meridian.example", "mhra", "MHRA GMP Inspectorate",
     220, "compliant", 4, "", None,
     "Routine re-inspection of sterile manufacture under the revised Annex 1: four "
     "'other' deficiencies, none major or critical; the contamination control strategy was "
     "noted as well documented. GMP certificate renewed by the MHRA."),
    (NA, "Aurora Milan", "quinn@northwind.example", "eu", "AIFA (Agenzia Italiana del Farmaco)",
     510, "gmp_certificate", None, "IT/GMP/2025/0417", 1095,
     "Routine GMP inspection of the quality-control laboratory (chemical-physical and "
     "microbiological testing, stability storage). Certificate issued for QC testing of "
     "biological medicinal products; no critical or major deficiencies."),
]

# partnership, site, name, activity, location, permitted days ago (None: awaiting), note
SUBCONTRACTORS = [
    (NM, "Meridian Cambridge", "Sterilis Analytics Ltd",
     "Sterility testing (Ph. Eur. 2.6.1) of NWB-101 drug product lots by membrane "
     "filtration in a grade A isolator", "Oxford, United Kingdom", 95,
     "Permitted for NWB-101 DP sterility testing only; results reach Northwind through "
     "Meridian QA with the CoA. Meridian audits the lab every two years."),
    (NM, "Meridian Boston", "Endotest Laboratories Inc.",
     "Bacterial endotoxin testing (kinetic chromogenic LAL) of NWB-101 drug substance "
     "in-process samples", "Worcester, MA, United States", None, ""),
]


def _person(email: str) -> User:
    return User.objects.get(email=email)


def _partnership(pair) -> Partnership:
    return Partnership.objects.get(sponsor__name=pair[0], cdmo__name=pair[1])


def seed_sites(today: datetime.date) -> None:
    for pair, (email, months, after_critical) in PROGRAMMES.items():
        partnership = _partnership(pair)
        if not AuditProgramme.objects.filter(partnership=partnership).exists():
            services.audit_programme_set(actor=_person(email), partnership=partnership,
                                         reaudit_months=months,
                                         reaudit_months_after_critical=after_critical)
    for pair, site, status, activities, conditions in QUALIFICATIONS:
        partnership = _partnership(pair)
        site = Site.objects.get(name=site)
        if SiteQualification.objects.filter(partnership=partnership, site=site).exists():
            continue
        actor = _person(PROGRAMMES[pair][0])
        qualification = services.site_qualification_create(
            actor=actor, partnership=partnership, site=site)
        if status == "not_assessed":
            continue
        qualification = services.site_qualification_transition(
            actor=actor, qualification=qualification, status="under_qualification")
        if status != "under_qualification":
            qualification = services.site_qualification_transition(
                actor=actor, qualification=qualification, status=status,
                approved_activities=activities, conditions=conditions or None)
        SiteQualification.objects.filter(pk=qualification.pk).update(
            status_changed_at=timezone.now() - datetime.timedelta(days=60))
    for (pair, site, email, authority, agency, ago, outcome, observations, number, valid,
         summary) in INSPECTIONS:
        qualification = SiteQualification.objects.get(partnership=_partnership(pair),
                                                      site__name=site)
        inspected_on = today - datetime.timedelta(days=ago)
        if Inspection.objects.filter(qualification=qualification,
                                     inspected_on=inspected_on).exists():
            continue
        services.inspection_create(
            actor=_person(email), qualification=qualification, authority=authority,
            authority_name=agency, inspected_on=inspected_on, outcome=outcome,
            observation_count=observations, certificate_number=number,
            certificate_expiry=inspected_on + datetime.timedelta(days=valid) if valid else None,
            summary=summary)
    for pair, site, name, activity, location, permitted, note in SUBCONTRACTORS:
        qualification = SiteQualification.objects.get(partnership=_partnership(pair),
                                                      site__name=site)
        if Subcontractor.objects.filter(qualification=qualification, name=name).exists():
            continue
        subcontractor = services.subcontractor_create(
            actor=_person("ravi@meridian.example"), qualification=qualification, name=name,
            activity=activity, location=location)
        if permitted is not None:
            services.subcontractor_decide(
                actor=_person(PROGRAMMES[pair][0]), subcontractor=subcontractor,
                status="permitted", decision_note=note,
                permission_date=today - datetime.timedelta(days=permitted))


class Command(BaseCommand):
    help = "Create the demo site qualifications, inspections and subcontractors (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        seed_sites(timezone.localdate())
