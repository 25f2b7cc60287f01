"""factory_boy factories: a consistent world of organizations, partnerships and people."""

import datetime
import hashlib
import io
import zipfile

import factory
from django.core.files.base import ContentFile

from partnership.models import (
    AcceptanceCriterion,
    Contract,
    ContractDocument,
    CriterionResult,
    Deliverable,
    DeliverableReview,
    Membership,
    NegotiationRound,
    Organization,
    OrganizationDomain,
    Partnership,
    Program,
    Site,
    User,
)

PASSWORD = "correct-horse-battery"
PDF = b"%PDF-1.4\n%%EOF\n"  # what filetype needs to call it a PDF


def word_document(text: str = "Redlines") -> bytes:
    """The smallest .docx that is one by its content: the parts Word writes first."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://'
                         'schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("word/document.xml", f"<w:document><w:t>{text}</w:t></w:document>")
    return buffer.getvalue()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Organization {n}")
    kind = Organization.Kind.SPONSOR


class OrganizationDomainFactory(factory.django.DjangoModelFactory):
    """A domain the operators verified: the organization's admins may invite addresses
    there (partnership.parties.services.user_invite)."""

    class Meta:
        model = OrganizationDomain
        django_get_or_create = ["domain"]

    organization = factory.SubFactory(OrganizationFactory)
    domain = factory.LazyAttribute(
        lambda row: f"{row.organization.name.split()[0].lower()}.test")


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    organization = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.CDMO)
    name = factory.Sequence(lambda n: f"Site {n}")
    country = "Italy"
    city = "Milan"
    time_zone = "Europe/Rome"
    capabilities = factory.LazyFunction(lambda: ["analytical"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = factory.Sequence(lambda n: f"Last{n}")
    organization = factory.SubFactory(OrganizationFactory)
    time_zone = "Europe/Zurich"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(self, create, extracted, **kwargs):
        if create:
            self.save()


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    sponsor = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.SPONSOR)
    cdmo = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.CDMO)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    partnership = factory.SubFactory(PartnershipFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    partnership = factory.SubFactory(PartnershipFactory)
    author_organization = factory.SelfAttribute("partnership.sponsor")
    code = factory.Sequence(lambda n: f"PRG-{n:03d}")
    name = factory.Sequence(lambda n: f"Program {n}")
    modality = Program.Modality.BIOLOGIC
    phase = Program.Phase.PHASE_1


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    partnership = factory.SubFactory(PartnershipFactory)
    author_organization = factory.SelfAttribute("partnership.sponsor")
    kind = Contract.Kind.MSA
    reference = factory.Sequence(lambda n: f"C-{n:04d}")
    title = factory.Sequence(lambda n: f"Agreement {n}")
    status = Contract.Status.NEGOTIATION


class NegotiationRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NegotiationRound

    contract = factory.SubFactory(ContractFactory)
    partnership = factory.SelfAttribute("contract.partnership")
    number = factory.Sequence(lambda n: n + 1)
    sent_by = "sponsor"
    sent_on = datetime.date(2026, 1, 5)
    summary = "First draft"


class ContractDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractDocument

    contract = factory.SubFactory(ContractFactory)
    partnership = factory.SelfAttribute("contract.partnership")
    name = "draft.pdf"
    size = len(PDF)
    content_type = "application/pdf"
    sha256 = hashlib.sha256(PDF).hexdigest()
    file = factory.LazyFunction(lambda: ContentFile(PDF, name="draft.pdf"))


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deliverable

    sow = factory.SubFactory(ContractFactory, kind=Contract.Kind.SOW)
    partnership = factory.SelfAttribute("sow.partnership")
    author_organization = factory.SelfAttribute("partnership.sponsor")
    title = factory.Sequence(lambda n: f"Deliverable {n}")
    due_date = datetime.date(2026, 12, 1)
    status = Deliverable.Status.DELIVERED


class AcceptanceCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AcceptanceCriterion

    deliverable = factory.SubFactory(DeliverableFactory)
    partnership = factory.SelfAttribute("deliverable.partnership")
    text = factory.Sequence(lambda n: f"Criterion {n}")


def reviewed(deliverable, reviewer, met=True):
    """A review of every criterion of a deliverable (a rejection when met is False)."""
    review = DeliverableReview.objects.create(
        partnership=deliverable.partnership, deliverable=deliverable, reviewed_by=reviewer,
        decision="accepted" if met else "rejected", comment="Checked")
    for criterion in deliverable.criteria.all():
        CriterionResult.objects.create(review=review, criterion=criterion, met=met)
    return review


def signed(record, event, *, signer, meaning=None):
    """A signature of `event` on `record` by `signer`, for its content as it stands (what
    partnership.signatures.services.sign stores, without the password)."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from partnership.signatures.declarations import content_hash
    from partnership.signatures.models import Signature

    declared = type(record).SIGNATURES[event]
    return Signature.objects.create(
        partnership=record.partnership,
        content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk,
        event=event, meaning=meaning or next(iter(declared.meanings)), signer=signer,
        printed_name=signer.get_full_name(), party=record.partnership.party_of(signer),
        organization_name=signer.organization.name, signed_at=timezone.now(),
        content_hash=content_hash(record, event))
