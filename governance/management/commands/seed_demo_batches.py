"""Demo batches (run by seed_demo_governance before the deviations that name them; idempotent):
lots of Velarimab and Torvacept drug substance at Meridian Boston and of Velarimab drug
product at Cambridge for Northwind, of Helixumab at Meridian Suzhou and of the HLX-7
conjugate at Cape Town for Helix, and lots of Velarimab drug product tested at Aurora Milan
— released, one rejected, two quarantined (H-7 on its positive sterility test), others
awaiting a review or the disposition. Written through the services by the people whose step
each is (Ravi reviews for Meridian in Northwind–Meridian, Max in Helix–Meridian, Ari for
Aurora, each where their party seats no QA lead; Quinn reviews and disposes for Northwind,
Hana for Helix), then dated into the past with QuerySet.update().

A rerun finds each lot by its partnership and lot number and leaves it as it is.
"""

import datetime
import io

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from governance.models import Batch, CertificateOfAnalysis
from governance.quality.batches import services
from partnership.management.commands.seed_demo import demo_password
from partnership.models import Partnership, Program, Signature, Site, User
from partnership.signatures.services import sign

NM = ("Northwind Biologics", "Meridian Biomanufacturing")
NA = ("Northwind Biologics", "Aurora Analytical Labs")
HM = ("Helix Therapeutics", "Meridian Biomanufacturing")

#: Per partnership: who records lots, reviews them for the CDMO, and for the sponsor (and
#: signs the disposition).
PEOPLE = {
    NM: ("tomas@meridian.example", "ravi@meridian.example", "quinn@northwind.example"),
    HM: ("max@meridian.example", "max@meridian.example", "hana@helix.example"),
    NA: ("ari@aurora.example", "ari@aurora.example", "quinn@northwind.example"),
}

# partnership, lot, program, stage, site, days from today it was made, where it stands
# ("manufactured", "cdmo_reviewed", "sponsor_reviewed", or the dispositions signed in
# order), the CDMO's review note, the sponsor's, whether its CoA is attached.
BATCHES = [
    (NM, "VLM-DS-24031", "NWB-101", "drug_substance", "Meridian Boston", -118, ["released"],
     "Executed batch record complete, 412 pages. Two GDP corrections (pages 88 and 301), "
     "both countersigned. Deviation DEV-2207 (chromatography column pressure alarm) closed "
     "with no product impact. Yield 94 % of theoretical.",
     "Batch record and DEV-2207 closure reviewed remotely. Bioburden and endotoxin results "
     "within limits; CoA values match the LIMS printout.", True),
    (NM, "VLM-DS-24033", "NWB-101", "drug_substance", "Meridian Boston", -61, ["quarantined"],
     "Batch record complete. Pre-filtration bioburden of the harvest at 8 CFU/10 mL against "
     "an alert level of 5: OOT investigation INV-0319 open, no action limit exceeded.",
     "Held until INV-0319 concludes: the alert-level excursion followed the HEPA change in "
     "suite 4 and we want the root cause before we release.", True),
    (NM, "VLM-DS-24035", "NWB-101", "drug_substance", "Meridian Boston", -19,
     "cdmo_reviewed",
     "Batch record complete and reviewed page by page; no deviations. In-process pH and "
     "conductivity within range at every step.", "", True),
    (NM, "TRV-DS-25004", "NWB-204", "drug_substance", "Meridian Boston", -6,
     "manufactured", "", "", False),
    (HM, "HLX12-DS-0871", "HLX-12", "drug_substance", "Meridian Suzhou", -150, ["released"],
     "Commercial lot, executed record reviewed against MBR rev. 14. No deviations; one "
     "late entry justified by the shift supervisor.",
     "Reviewed with the CoA and the APR trend: titre and charge variants in line with the "
     "last twenty lots.", True),
    (HM, "HLX12-DS-0872", "HLX-12", "drug_substance", "Meridian Suzhou", -132, ["rejected"],
     "Record complete. Host-cell protein at 118 ppm against a limit of 100 ppm, confirmed "
     "OOS after a Phase I laboratory investigation found no assay error.",
     "Confirmed HCP OOS with no assignable laboratory cause: the lot cannot be used. "
     "Meridian to destroy it under witness and document the disposal.", True),
    (HM, "HLX12-FP-0415", "HLX-12", "finished_pack", "Meridian Suzhou", -74,
     ["quarantined", "released"],
     "Packaging record complete. Serialisation reconciliation short by 36 cartons at first "
     "count; recount found them in the reject bin of the aggregation station.",
     "Quarantined until the serialisation reconciliation was closed; the recount and the "
     "aggregation logs account for every carton.", True),
    (HM, "HLX7-ADC-0113", "HLX-7", "drug_product", "Meridian Cape Town", -27,
     "sponsor_reviewed",
     "Conjugation and fill records complete; drug-to-antibody ratio 3.9 (target 3.5–4.5). "
     "Visual inspection AQL passed.",
     "Reviewed; free-drug result on the CoA checked against the method's reporting limit.",
     True),
    (NM, "P-0412", "NWB-101", "drug_product", "Meridian Cambridge", -41, "manufactured",
     "", "", False),  # filling stopped on a fill-weight excursion: DEV-2291
    (HM, "H-5", "HLX-7", "drug_product", "Meridian Cape Town", -75, ["released"],
     "Fill-finish record complete; 100 % visual inspection rejects at 0.4 % (limit 1.5 %). "
     "Container-closure integrity by dye ingress on 120 units: no failure.",
     "Clinical lot for the phase 2 sites: record and CoA reviewed, labels checked against "
     "the approved clinical label text for France and Germany.", True),
    # Sterility test positive on day 12 (DEV-3102): quarantined by the sponsor once told,
    # no CoA while the test stands invalid or not.
    (HM, "H-7", "HLX-7", "drug_product", "Meridian Cape Town", -17, ["quarantined"],
     "Conjugation and aseptic fill records complete; media-fill coverage of the shift "
     "confirmed. Sterility and endotoxin testing still running at the time of review.",
     "Record reviewed; the lot waits on the sterility result before any decision.", False),
    (NA, "P-0409", "NWB-101", "drug_product", "Aurora Milan", -45, ["released"],
     "Release testing complete: identity, potency (bioassay 98 %), SEC purity 99.1 %, "
     "sterility and endotoxin pass. Analytical records and audit trails reviewed.",
     "Test records and Empower audit trails reviewed; results transcribed correctly to the "
     "CoA.", True),
    (NA, "P-0410", "NWB-101", "drug_product", "Aurora Milan", -9, "manufactured", "", "",
     False),
]


def _person(email: str) -> User:
    return User.objects.get(email=email)


def _at(days: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=datetime.UTC)


def _certificate(batch: Batch) -> ContentFile:
    """A one-page PDF standing in for the lot's signed certificate of analysis."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(f"Certificate of analysis {batch.lot_number}")
    page.drawString(72, 770, f"Certificate of analysis: lot {batch.lot_number}")
    page.drawString(72, 750, f"{batch.program} · {batch.get_stage_display()} · "
                             f"{batch.site.name} (demo data)")
    page.save()
    return ContentFile(buffer.getvalue(), name=f"CoA {batch.lot_number}.pdf")


def seed_batches(today: datetime.date) -> None:
    password = demo_password()
    for (pair, lot, code, stage, site, made, stands, cdmo_note, sponsor_note,
         with_coa) in BATCHES:
        partnership = Partnership.objects.get(sponsor__name=pair[0], cdmo__name=pair[1])
        if Batch.objects.filter(partnership=partnership, lot_number=lot).exists():
            continue
        recorder, cdmo_qa, sponsor_qa = (_person(email) for email in PEOPLE[pair])
        batch = services.batch_record(
            actor=recorder, partnership=partnership,
            program=Program.objects.get(partnership=partnership, code=code),
            site=Site.objects.get(name=site), lot_number=lot, stage=stage,
            manufactured_on=today + datetime.timedelta(days=made))
        if with_coa:
            services.batch_certificate_attach(actor=recorder, batch=batch,
                                              file=_certificate(batch))
        if stands != "manufactured":
            batch = services.batch_cdmo_review(actor=cdmo_qa, batch=batch, note=cdmo_note)
        if stands not in ("manufactured", "cdmo_reviewed"):
            batch = services.batch_sponsor_review(actor=sponsor_qa, batch=batch,
                                                  note=sponsor_note)
        for event in stands if isinstance(stands, list) else ():
            sign(actor=sponsor_qa, record=batch, event=event, meaning="approval",
                 password=password)
            batch.refresh_from_db()
        _backdate(batch, made)


def _backdate(batch: Batch, made: int) -> None:
    """The times the services stamped, moved to when the work was done: recorded the day
    after manufacture, the CoA a week later, the CDMO's review after ten days, the
    sponsor's after fourteen, the disposition after sixteen (a quarantined lot released
    or rejected after a further twelve)."""
    batch.refresh_from_db()
    Batch.objects.filter(pk=batch.pk).update(
        created_at=_at(made + 1),
        cdmo_reviewed_at=_at(made + 10) if batch.cdmo_reviewed_at else None,
        sponsor_reviewed_at=_at(made + 14) if batch.sponsor_reviewed_at else None,
        quarantined_at=_at(made + 16) if batch.quarantined_at else None,
        disposed_at=_at(made + (28 if batch.quarantined_at and batch.status !=
                                Batch.Status.QUARANTINED else 16))
        if batch.disposed_at else None)
    CertificateOfAnalysis.objects.filter(batch=batch).update(uploaded_at=_at(made + 7))
    for n, signature in enumerate(Signature.objects.filter(
            content_type=ContentType.objects.get_for_model(Batch),
            object_id=batch.pk).order_by("pk")):
        Signature.objects.filter(pk=signature.pk).update(signed_at=_at(made + 16 + 12 * n))


class Command(BaseCommand):
    help = "Create the demo batches and their dispositions (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        seed_batches(timezone.localdate())
