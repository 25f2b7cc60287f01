"""The API's token authentication: `Authorization: Token <key>`, looked up by the key's
digest (partnership.accounts.models), refused once revoked, expired, or its person is
deactivated."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from partnership.accounts import selectors, services

REFUSED = "This token is not valid: it was revoked, it expired, or it never existed."
ENROL = ("Your organization requires two-factor sign-in: sign in to Lockstep in a browser and "
         "set it up, then this token works again.")


class ApiTokenAuthentication(BaseAuthentication):
    keyword = b"token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Send the header as: Authorization: Token <key>.")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(REFUSED) from None
        token = selectors.api_token_for_key(key=key)
        if token is None:
            raise AuthenticationFailed(REFUSED)
        user = token.user
        if not user.two_factor_enabled and user.organization is not None \
                and user.organization.require_two_factor:
            raise AuthenticationFailed(ENROL)
        services.api_token_touch(token=token)
        return user, token

    def authenticate_header(self, request) -> str:
        return "Token"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes it."""

    target_class = "partnership.accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <key>`: create a token on your profile page."}
