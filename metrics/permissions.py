"""Who may do what with KPIs: role × party × state, each rule declared once, as its parts
(partnership.permissions says how a rule is declared and asked).

The leads of the partnership draft, revise and retire definitions (what both parties
agree to be measured on); who signs a definition off, and when, is its SIGNATURES. The
reporting party enters a KPI's values; which party takes which step of a value (submit,
share, accept, dispute, correct, withdraw a dispute), from which status, is the model's
STEPS (KPIMeasurement.check_step); who signs its publication, and when, its SIGNATURES.
The reporting party's writers compute an agreed computed KPI's values (metrics.computed);
a computed value is computed again, never edited by hand.
"""

import rules

from partnership.permissions import (
    WRITER,
    denied,
    invalid,
    is_steering,
    is_writer,
    leads_here,
    partnership_of,
    rule,
)

LEADS_ONLY = denied("Only the partnership's leads draft, revise and retire KPI definitions.")


@rules.predicate
def definition_is_draft(user, definition) -> bool:
    return definition.status == definition.Status.DRAFT


@rules.predicate
def definition_is_agreed(user, definition) -> bool:
    return definition.status == definition.Status.AGREED


@rules.predicate
def reports_the_kpi(user, record) -> bool:
    """Of the party that enters the values of the definition (or of the value's)."""
    definition = getattr(record, "definition", record)
    return partnership_of(record).party_of(user) == definition.reporting_party


@rules.predicate
def definition_takes_values(user, definition) -> bool:
    return definition.status == definition.Status.AGREED and \
        definition.data_source == definition.Source.ENTERED


@rules.predicate
def definition_is_computed(user, definition) -> bool:
    return definition.status == definition.Status.AGREED and \
        definition.data_source == definition.Source.COMPUTED


@rules.predicate
def measurement_is_entered(user, measurement) -> bool:
    definition = measurement.definition
    return definition.data_source == definition.Source.ENTERED


@rules.predicate
def measurement_is_editable(user, measurement) -> bool:
    return measurement.status in (measurement.Status.DRAFT, measurement.Status.SUBMITTED)


@rules.predicate
def measurement_in_review(user, measurement) -> bool:
    return measurement.status in (measurement.Status.SHARED, measurement.Status.DISPUTED)


rule("metrics.kpidefinition_create", WRITER, (leads_here, LEADS_ONLY))
rule("metrics.kpidefinition_edit", WRITER, (leads_here, LEADS_ONLY),
     (definition_is_draft, invalid(lambda definition: {"status": (
         f"This definition is {definition.get_status_display().lower()}: only a draft is "
         "edited. Revise an agreed definition, or send one awaiting sign-off back to "
         "draft.")})))
rule("metrics.kpidefinition_step", WRITER, (leads_here, LEADS_ONLY))
rule("metrics.kpidefinition_revise", WRITER, (leads_here, LEADS_ONLY),
     (definition_is_agreed, invalid({"status": "Only the agreed version is revised."})))
rule("metrics.kpimeasurement_create", WRITER,
     (reports_the_kpi, denied("Only the reporting party enters this KPI's values.")),
     (definition_takes_values, invalid({"definition": "Values are entered for an agreed "
                                                      "definition whose values are entered "
                                                      "(not computed)."})))
rule("metrics.kpimeasurement_edit", WRITER,
     (reports_the_kpi, denied("Only the reporting party changes this KPI's values.")),
     (measurement_is_entered, invalid({"value": "A computed value is computed again, not "
                                                "edited (or corrected in answer to a "
                                                "dispute)."})),
     (measurement_is_editable, invalid({"status": "A value shared for review is corrected "
                                                  "only in answer to a dispute."})))
rule("metrics.kpimeasurement_step", WRITER)
rule("metrics.kpidefinition_compute", WRITER,
     (reports_the_kpi, denied("Only the reporting party computes this KPI's values.")),
     (definition_is_computed, invalid({"definition": "Values are computed for an agreed "
                                                     "definition whose data source is "
                                                     "computed."})))
rule("metrics.kpimeasurement_comment", WRITER,
     (measurement_in_review, invalid({"text": "Comments are made while the value is under "
                                              "review."})))


@rules.predicate
def measurement_is_unpublished(user, measurement) -> bool:
    return measurement.status != measurement.Status.PUBLISHED


rule("metrics.kpimeasurement_attach", WRITER,
     (reports_the_kpi, denied("Only the reporting party attaches evidence to its values.")),
     (measurement_is_unpublished, invalid({"file": "A published value keeps the evidence it "
                                                   "was published with."})))


@rules.predicate
def reports_a_kpi(user, partnership) -> bool:
    """Of a party that enters the values of one of the partnership's agreed KPIs."""
    from metrics.kpis.models import KPIDefinition

    party = partnership.party_of(user)
    return party is not None and KPIDefinition.objects.filter(
        partnership=partnership, status=KPIDefinition.Status.AGREED,
        data_source=KPIDefinition.Source.ENTERED, reporting_party=party).exists()


rule("metrics.kpiimport_create", WRITER,
     (reports_a_kpi, denied("Only the party that reports a KPI's values imports them: no "
                            "agreed KPI of this partnership is your party's to report.")))

# The steering pack: the steering committee asks for it, and so may the partnership's
# working members who prepare its meeting; viewers read the packs made.
rule("metrics.steeringpack_request",
     (is_steering | is_writer, denied("Only the steering committee and the partnership's "
                                      "working members ask for a steering pack.")))
