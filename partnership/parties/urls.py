"""Pages of the parties (named in the `partnership` namespace: partnership/urls.py)."""

from django.urls import path

from partnership.parties import views

urlpatterns = [
    path("", views.PartnershipListView.as_view(), name="partnership_list"),
    path("partnerships/suggestions/", views.PartnershipSuggestionsView.as_view(),
         name="partnership_suggestions"),
    path("p/<int:partnership_pk>/", views.PartnershipDetailView.as_view(),
         name="partnership_detail"),
    path("p/<int:partnership_pk>/settings/", views.PartnershipSettingsView.as_view(),
         name="partnership_settings"),
    path("p/<int:partnership_pk>/people/", views.MembershipListView.as_view(),
         name="membership_list"),
    path("sites/", views.SiteListView.as_view(), name="site_list"),
    path("sites/<int:pk>/", views.SiteDetailView.as_view(), name="site_detail"),
    path("organization/", views.OrganizationView.as_view(), name="organization_detail"),
    path("organization/invite/", views.UserInviteView.as_view(), name="user_invite"),
    path("organization/people/", views.OrganizationPeopleView.as_view(),
         name="organization_people"),
    path("organization/seats/<int:pk>/role/", views.MembershipRoleView.as_view(),
         name="membership_role"),
    path("organization/seats/new/", views.MembershipCreateView.as_view(),
         name="membership_create"),
    path("organization/seats/<int:pk>/delete/", views.MembershipDeleteView.as_view(),
         name="membership_delete"),
    path("account/profile/", views.ProfileView.as_view(), name="profile"),
]
