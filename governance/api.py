"""API routes of the governance app (portal.api builds the router from every app's
`routes`): each topic's own, in the order the API root lists them."""

from governance.actions.api import routes as actions
from governance.meetings.api import routes as meetings
from governance.quality.api import routes as quality
from governance.quality.batches.api import routes as batches
from governance.quality.changes.api import routes as changes
from governance.quality.sites.api import routes as quality_sites
from governance.relationship.api import routes as relationship
from governance.requests.api import routes as requests
from governance.risks.api import routes as risks
from governance.workload.api import routes as workload

routes = [*actions, *meetings, *requests, *risks, *quality, *quality_sites, *batches,
          *changes, *relationship, *workload]
