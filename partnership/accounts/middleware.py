"""The two-factor gate: a person who has two-factor gives a code before anything else, and
a person whose organization requires it sets it up before anything else."""

from urllib.parse import urlencode

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

VERIFY = "partnership:two_factor_verify"
SETUP = "partnership:two_factor_setup"
#: Pages open at each step, besides the step itself.
OPEN = {"logout", "health", "admin:logout"}
MESSAGES = {VERIFY: "Enter your two-factor code first: sign in again in a browser.",
            SETUP: "Your organization requires two-factor sign-in: set it up in a browser."}


class TwoFactorGate:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        step = self.step_of(request.user)
        name = request.resolver_match.view_name if request.resolver_match else ""
        if step is None or name == step or name in OPEN:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": MESSAGES[step]}, status=403)
        url = reverse(step)
        if getattr(request, "htmx", False):
            # A fragment a page fetches by itself (the bell's poll) gets nothing, rather than
            # moving the person off the step's own page; what they do themselves goes there.
            if request.method == "GET":
                return HttpResponse(status=204)
            return HttpResponseClientRedirect(url)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)

    @staticmethod
    def step_of(user) -> str | None:
        """Costs no query for someone without two-factor (their organization is read with
        them: partnership.accounts.backends), one for someone with it (their device)."""
        if not user.is_authenticated:
            return None
        if user.two_factor_enabled:
            return None if user.is_verified() else VERIFY
        organization = user.organization
        if organization is not None and organization.require_two_factor:
            return SETUP
        return None
