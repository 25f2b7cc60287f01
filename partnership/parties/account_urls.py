"""Log-in by e-mail, log-out, password change and reset (Django's views, our templates).

Included without a namespace so Django's own names (login, password_reset_confirm …) work.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from partnership.accounts.views import ThrottledPasswordResetView
from partnership.parties.forms import EmailAuthenticationForm

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(
        form_class=EmailAuthenticationForm, redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("password/reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
]
