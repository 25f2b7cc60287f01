"""The jobs of the governance app: Celery's autodiscovery imports this module, and each
topic's tasks module declares its own (their names are their dotted paths, which
CELERY_BEAT_SCHEDULE uses)."""

import governance.actions.tasks
import governance.escalation.tasks
import governance.relationship.tasks
import governance.requests.tasks
import governance.risks.tasks  # noqa: F401
