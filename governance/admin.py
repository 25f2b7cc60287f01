"""The Django admin of the governance app: Django's autodiscovery imports this module, and
each topic's admin module registers its own models."""

import governance.actions.admin
import governance.escalation.admin
import governance.meetings.admin
import governance.relationship.admin
import governance.requests.admin
import governance.risks.admin  # noqa: F401
