"""Django's model backend, reading each request's person with their organization: the
two-factor gate asks whether the organization requires it, and that costs no query."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("organization").filter(
            pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
