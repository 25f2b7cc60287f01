"""Who may do what with partnerships, seats, sites and organizations' domains (django-rules,
declared once: partnership.permissions).

`partnership.partnership_write` is the writer rule every page's `requires_write` stands for
and every shared record's create and change start from (partnership.records); the other
topics declare their own rules beside it.
"""

import rules

from partnership.permissions import declare, is_org_admin, is_writer, partnership_of

READ_ONLY = "Your role in this partnership is read-only."


@rules.predicate
def leads_here(user, obj) -> bool:
    """A lead of the partnership, or an admin of one of its organizations without a seat
    (Partnership.role_of): who speaks for a party about what both agreed."""
    return partnership_of(obj).role_of(user) in ("lead", "admin")


@rules.predicate
def admins_the_site(user, site) -> bool:
    """An admin of the organization the site belongs to."""
    return user.organization_id == site.organization_id


@rules.predicate
def has_organization(user, obj=None) -> bool:
    return user.organization_id is not None


def is_operator_with(permission: str) -> rules.Predicate:
    """A platform operator (active staff) holding Django's `permission`."""
    return rules.predicate(
        lambda user: user.is_active and user.is_staff and user.has_perm(permission),
        name=f"is_operator_with:{permission}")


declare("partnership.partnership_write", is_writer, refusal=READ_ONLY)
declare("partnership.partnership_settings_change", leads_here,
        refusal="Only the leads of either party change the settings.")
declare("partnership.site_status_change", is_org_admin & admins_the_site,
        refusal="Only the site's organization admins change its status.")
declare("partnership.people_manage", is_org_admin & has_organization,
        refusal="Only organization admins manage people.")
declare("partnership.organizationdomain_add",
        is_operator_with("partnership.add_organizationdomain"),
        refusal="Only platform operators manage organizations' e-mail domains.")
declare("partnership.organizationdomain_remove",
        is_operator_with("partnership.delete_organizationdomain"),
        refusal="Only platform operators manage organizations' e-mail domains.")
