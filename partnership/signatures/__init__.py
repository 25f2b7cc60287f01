"""Electronic signatures of records (DESIGN §5; 21 CFR Part 11 §11.50, §11.70, §11.200): one
mechanism, used by each record through its SIGNATURES declaration (declarations.py)."""

PARTY_WORDS = {"sponsor": "the sponsor", "cdmo": "the CDMO"}


def _rule_of(label: str, event: str, signed) -> None:
    """Declare the permission rule of one signed event: a writer with one of the event's
    roles, of a party that signs it; then, as the record stands, ready to be signed and not
    yet signed by the signer's party for this content."""
    import rules

    from partnership.permissions import RULES, WRITER, denied, invalid, partnership_of, rule

    name = f"{label}_sign_{event}"
    if RULES.rule_exists(name):  # ready() may run twice in some test setups
        return
    roles = set(signed.roles)

    @rules.predicate
    def in_role(user, record) -> bool:
        return partnership_of(record).role_of(user) in roles

    @rules.predicate
    def of_a_signing_party(user, record) -> bool:
        return partnership_of(record).party_of(user) in signed.parties(record)

    @rules.predicate
    def ready(user, record) -> bool:
        return signed.ready(record) is None

    @rules.predicate
    def not_yet_signed_by_party(user, record) -> bool:
        from partnership.signatures.declarations import content_hash
        from partnership.signatures.models import Signature

        party = partnership_of(record).party_of(user)
        return not Signature.objects.of(record).filter(
            event=event, party=party, content_hash=content_hash(record, event)).exists()

    @rules.predicate
    def named_signer(user, record) -> bool:
        return signed.signers is None or user.pk in signed.signers(record)

    from partnership.parties.models import Membership

    def plural(role: str) -> str:  # "leads", "QA leads": a role in words inside a sentence
        label = Membership.role_label(role)
        return (label if label[:2].isupper() else label.lower()) + "s"

    role_words = ", ".join(sorted(plural(role) for role in roles))
    rule(name, WRITER,
         (in_role, denied(f"Only {role_words} sign: {signed.label.lower()}.")),
         (of_a_signing_party, denied(
             f"Your party does not sign this: {signed.label.lower()}.")),
         (named_signer, denied(f"You are not the person who signs this: "
                               f"{signed.label.lower()}.")),
         (ready, invalid(lambda record: signed.ready(record))),
         (not_yet_signed_by_party, invalid(
             "Your party has already signed this content.")))


def is_signed(record) -> bool:
    """Whether anyone has signed `record` (a reason rule: a signed record changes only with
    a reason, kept in its history; 21 CFR 11.10(e))."""
    if record.pk is None or not getattr(type(record), "SIGNATURES", None):
        return False
    from partnership.signatures.models import Signature

    return Signature.objects.of(record).exists()


def register() -> None:
    """From PartnershipConfig.ready(), once every app's models are loaded: one permission
    rule per signed event of every model that declares SIGNATURES (the signatures are in the
    audit trail: partnership/models.py), the reason rule of signed records, its notification
    kinds, and the watch on saves that tells signers their signature no longer matches."""
    from partnership.history.reasons import reason_rule
    from partnership.signatures import notices
    from partnership.signatures.declarations import signed_models
    from portal.registries import notification_kinds

    for model in signed_models():
        for event, signed in model.SIGNATURES.items():
            _rule_of(model._meta.label_lower, event, signed)
    reason_rule(is_signed, applies_to=lambda model: bool(getattr(model, "SIGNATURES", None)))
    for code, label, position in notices.NOTIFICATION_KINDS:
        notification_kinds.register(code, label, position=position)
    notices.watch()
