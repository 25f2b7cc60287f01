"""The rows of Django's own tables the audit trail follows besides the portal's models: a
person's permissions and groups, as proxies it can track (partnership/models.py)."""

from partnership.parties.models import User


class UserPermissionLink(User.user_permissions.through):
    """A permission given to a person (Django's table), as the audit trail follows it."""

    class Meta:
        proxy = True


class UserGroupLink(User.groups.through):
    """A person's group (Django's table), as the audit trail follows it."""

    class Meta:
        proxy = True
