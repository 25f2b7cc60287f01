"""The cross-partnership KPI views: the sponsor's portfolio, the CDMO's view of its own
performance across its sponsors, and a partnership's relationship health."""


def register() -> None:
    """The top bar's Portfolio link for people of a sponsor, and the CDMO's Performance link
    for its organization admins and leads: each read with the partnership switcher's rows
    (portal.registries.navigation), so no page pays a query for them."""
    from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

    from partnership.models import Membership
    from portal.registries import navigation

    def in_portfolio(user):
        return ExpressionWrapper(Q(sponsor_id=user.organization_id),
                                 output_field=BooleanField())

    def in_cdmo_view(user):
        condition = Q(cdmo_id=user.organization_id)
        if not user.is_org_admin:
            condition &= Q(Exists(Membership.objects.filter(
                partnership=OuterRef("pk"), user=user, role=Membership.Role.LEAD)))
        return ExpressionWrapper(condition, output_field=BooleanField())

    navigation.register(navigation.Link(
        "portfolio", "Portfolio", "metrics:portfolio", condition=in_portfolio))
    navigation.register(navigation.Link(
        "cdmo_performance", "Our performance", "metrics:cdmo_performance",
        condition=in_cdmo_view))
