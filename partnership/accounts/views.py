"""Sign-in pages: the second step of log-in, two-factor set-up, backup codes, API tokens, a
throttled password reset; and the organization admin's doors to a colleague's access."""

import math
from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from partnership.accounts import selectors, services
from partnership.accounts.forms import (
    ApiTokenForm,
    CodeForm,
    ResetForm,
    SetupCodeForm,
    TwoFactorRuleForm,
)
from partnership.accounts.lockout import client_ip, login_username
from partnership.parties.selectors import organization_people
from partnership.parties.views import OrgAdminMixin
from portal.throttle import allow
from portal.validation import parse_id

PROFILE_2FA = "partnership:profile"


def _next_url(request) -> str:
    """Where to go once signed in: the `next` asked for, if it is of this site."""
    url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return reverse("partnership:partnership_list")


def _signed_in_with(request, device) -> None:
    """The session counts as verified with `device` from now on, under a new key."""
    otp_login(request, device)
    request.session.cycle_key()


class TwoFactorVerifyView(LoginRequiredMixin, FormView):
    """Log-in's second step, for a person with two-factor (the gate sends them here)."""

    template_name = "registration/two_factor_verify.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and (not user.two_factor_enabled or user.is_verified()):
            return HttpResponseRedirect(_next_url(request))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=_next_url(self.request), **kwargs)

    def form_valid(self, form):
        user = self.request.user
        code = "".join(form.cleaned_data["code"].split())
        wait = selectors.two_factor_wait(user=user) if code.isdigit() else None  # not backup
        if wait is not None and wait > timezone.now():
            # django-otp checks no code then, not even a right one: say so, not "wrong".
            seconds = math.ceil((wait - timezone.now()).total_seconds())
            form.add_error("code", f"After several wrong codes, codes are not checked for a "
                                   f"moment: wait {seconds} second{pluralize(seconds)}, then "
                                   "enter the code your app shows then.")
            return self.form_invalid(form)
        device = services.two_factor_check(user=user, code=code)
        if device is None:
            wait = selectors.two_factor_wait(user=user)
            form.add_error("code", services.WRONG_CODE + (
                f" After several wrong codes, wait a few seconds (until "
                f"{wait:%H:%M:%S} UTC) before the next try." if wait else ""))
            return self.form_invalid(form)
        _signed_in_with(self.request, device)
        if isinstance(device, StaticDevice):
            left = selectors.backup_codes_left(user=user)
            messages.warning(self.request, f"You signed in with a backup code; {left} left. "
                                           "Make new ones on your profile page if you run low.")
        return HttpResponseRedirect(_next_url(self.request))


class TwoFactorSetupView(LoginRequiredMixin, TemplateView):
    """Set up an authenticator app: start (POST) makes a secret, shown as a QR code and as
    text; a code from the app confirms it (POST code) and shows the backup codes once."""

    template_name = "partnership/two_factor_setup.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        device = selectors.pending_device(user=user)
        context = {"device": device, "next": _next_url(self.request),
                   "required": bool(user.organization and user.organization.require_two_factor)}
        if device is not None:
            context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(
                scale=5, border=2, light="#fff", title="QR code to scan with your app")
            context["secret"] = " ".join(_base32(device.bin_key))
        return super().get_context_data(**context, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=SetupCodeForm()))

    def post(self, request, *args, **kwargs):
        if "start" in request.POST:
            services.two_factor_begin(actor=request.user)
            return redirect(f"{reverse('partnership:two_factor_setup')}?"
                            f"{REDIRECT_FIELD_NAME}={_next_url(request)}")
        form = SetupCodeForm(request.POST)
        device = selectors.pending_device(user=request.user)
        if device is None:
            messages.error(request, "Start the set-up again: it had expired or was finished.")
            return redirect("partnership:two_factor_setup")
        if form.is_valid():
            try:
                device, codes = services.two_factor_confirm(
                    actor=request.user, device=device, code=form.cleaned_data["code"])
            except ValidationError as error:
                form.add_error("code", error.message_dict.get("code", error.messages))
            else:
                _signed_in_with(request, device)
                return render(request, "partnership/backup_codes.html",
                              {"codes": codes, "next": _next_url(request), "first": True})
        return self.render_to_response(self.get_context_data(form=form), status=400)


def _base32(key: bytes) -> list[str]:
    text = b32encode(key).decode()
    return [text[i:i + 4] for i in range(0, len(text), 4)]


class BackupCodesView(LoginRequiredMixin, View):
    def post(self, request):
        try:
            codes = services.backup_codes_renew(actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(PROFILE_2FA)
        return render(request, "partnership/backup_codes.html",
                      {"codes": codes, "next": reverse(PROFILE_2FA)})


class TwoFactorDisableView(LoginRequiredMixin, View):
    def post(self, request):
        form = CodeForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(services.WRONG_CODE)
            services.two_factor_disable(actor=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Two-factor sign-in is off. Your password alone signs "
                                      "you in now.")
        return redirect(PROFILE_2FA)


class ApiTokenCreateView(LoginRequiredMixin, View):
    """POST name and lifetime: the key is shown once, on the profile page."""

    def post(self, request):
        form = ApiTokenForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError([error for errors in form.errors.values()
                                       for error in errors])
            token, key = services.api_token_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(reverse(PROFILE_2FA) + "#token-h")
        request.session["new_api_token"] = key
        messages.success(request, f"API token “{token.name}” created. Copy it now: it is "
                                  "shown only once.")
        return redirect(reverse(PROFILE_2FA) + "#token-h")


class ApiTokenRevokeView(LoginRequiredMixin, View):
    """POST token=<id> of one of the person's own tokens."""

    def post(self, request):
        token = get_object_or_404(selectors.api_token_list(user=request.user),
                                  pk=parse_id(request.POST.get("token")))
        services.api_token_revoke(actor=request.user, token=token)
        messages.success(request, f"API token “{token.name}” revoked: integrations using it "
                                  "stop working now.")
        return redirect(reverse(PROFILE_2FA) + "#token-h")


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's, limited per address (a page that says so) and per e-mail (the mail is not
    sent, and the page says what it always says, so nobody learns who has an account)."""

    PER_ADDRESS, PER_EMAIL, WINDOW = 10, 3, 3600
    form_class = ResetForm

    def form_valid(self, form):
        address = client_ip(self.request) or "unknown"
        if not allow(f"password-reset:ip:{address}", limit=self.PER_ADDRESS, window=self.WINDOW):
            return render(self.request, "registration/password_reset_throttled.html",
                          status=429)
        email = login_username(None, {"username": form.cleaned_data["email"]})
        if not allow(f"password-reset:email:{email}", limit=self.PER_EMAIL, window=self.WINDOW):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


# --- The organization admin's doors to a colleague's access -------------------------------

ACCESS_ACTIONS = {
    "deactivate": (services.user_deactivate, "Deactivate {person}?",
                   "They can no longer sign in. Any session they have open ends now and "
                   "their API tokens are revoked.", "Deactivate",
                   "{person} is deactivated: their sessions and API tokens have ended."),
    "reactivate": (services.user_reactivate, "Reactivate {person}?",
                   "They can sign in again with their password. API tokens revoked when "
                   "they were deactivated stay revoked.", "Reactivate",
                   "{person} can sign in again."),
    "unlock": (services.user_unlock, "Unlock {person}'s log-in?",
               "Log-in was locked after too many wrong passwords. Unlock it only if you "
               "know it was them who mistyped; otherwise ask them to reset their password.",
               "Unlock", "{person} can try to log in again."),
    "two_factor_reset": (services.two_factor_reset, "Reset {person}'s two-factor sign-in?",
                         "For a lost or replaced phone: their authenticator app and backup "
                         "codes stop working and their sessions end. They sign in with their "
                         "password and set up two-factor again.", "Reset two-factor",
                         "{person}'s two-factor sign-in is reset."),
}


class PersonAccessView(OrgAdminMixin, TemplateView):
    """GET asks for confirmation; POST does it. `action`: a key of ACCESS_ACTIONS."""

    action = ""
    template_name = "partnership/person_access_confirm.html"

    def get_person(self):
        return get_object_or_404(organization_people(admin=self.request.user),
                                 pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        person = self.get_person()
        _service, title, explanation, button, _done = ACCESS_ACTIONS[self.action]
        return super().get_context_data(person=person, title=title.format(person=person),
                                        explanation=explanation, button=button, **kwargs)

    def post(self, request, *args, **kwargs):
        person = self.get_person()
        service, *_texts, done = ACCESS_ACTIONS[self.action]
        try:
            service(actor=request.user, user=person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done.format(person=person))
        return redirect("partnership:organization_detail")


class OrganizationTwoFactorView(OrgAdminMixin, View):
    """POST whether the organization requires two-factor of its people (the form is on the
    organization page)."""

    def post(self, request):
        form = TwoFactorRuleForm(request.POST)
        form.is_valid()  # a checkbox: absent is False
        organization = services.organization_two_factor_set(
            actor=request.user, required=form.cleaned_data.get("required", False))
        messages.success(request, (
            f"Two-factor sign-in is now required at {organization}: anyone without it is "
            "asked to set it up at their next page.") if organization.require_two_factor else
            f"Two-factor sign-in is now optional at {organization}.")
        # No #sign-in-h: the message is shown at the top of the page, which must be in view.
        return redirect("partnership:organization_detail")
