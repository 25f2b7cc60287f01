"""Where a quality record happens: at a site of the partnership's CDMO (audits, deviations,
lots, changes, site qualifications) and, where it names one, for a program both parties see.
Each such model's clean() starts from these errors."""


def site_and_program_errors(record) -> dict[str, str]:
    """Field errors for a record whose site is not one of its partnership's CDMO's, or whose
    program is another partnership's or internal to one party; {} when both are right or
    the record has no partnership yet."""
    errors = {}
    if not record.partnership_id:
        return errors
    if getattr(record, "site_id", None) and \
            record.site.organization_id != record.partnership.cdmo_id:
        errors["site"] = "Choose a site of this partnership's CDMO."
    program_id = getattr(record, "program_id", None)
    if program_id and (record.program.partnership_id != record.partnership_id
                       or record.program.is_internal):
        errors["program"] = "Choose a program of this partnership both parties see."
    return errors
