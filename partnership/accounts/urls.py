"""Sign-in pages (named in the `partnership` namespace: partnership/urls.py)."""

from django.urls import path

from partnership.accounts import views

urlpatterns = [
    path("account/login/code/", views.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("account/two-factor/", views.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path("account/two-factor/backup-codes/", views.BackupCodesView.as_view(),
         name="backup_codes_renew"),
    path("account/two-factor/disable/", views.TwoFactorDisableView.as_view(),
         name="two_factor_disable"),
    path("account/tokens/", views.ApiTokenCreateView.as_view(), name="apitoken_create"),
    path("account/tokens/revoke/", views.ApiTokenRevokeView.as_view(), name="apitoken_delete"),
    path("organization/two-factor/", views.OrganizationTwoFactorView.as_view(),
         name="organization_two_factor"),
    *(path(f"organization/people/<int:pk>/{action.replace('_', '-')}/",
           views.PersonAccessView.as_view(action=action), name=f"person_{action}")
      for action in views.ACCESS_ACTIONS),
]
