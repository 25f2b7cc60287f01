"""The partnership app's API routes, each topic's listed in its own api module, in the order
the API root shows them."""

from partnership.communication.api import routes as communication_routes
from partnership.contracts.api import routes as contract_routes
from partnership.deliverables.api import routes as deliverable_routes
from partnership.discussion.api import routes as discussion_routes
from partnership.notifications.api import routes as notification_routes
from partnership.objectives.api import routes as objective_routes
from partnership.parties.api import routes as party_routes
from partnership.signatures.api import routes as signature_routes
from partnership.techtransfer.api import routes as techtransfer_routes

routes = [*notification_routes, *party_routes, *contract_routes, *deliverable_routes,
          *communication_routes, *objective_routes, *techtransfer_routes, *signature_routes,
          *discussion_routes]
