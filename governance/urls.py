"""URLs of the governance app: each topic's own list, under the one `governance:` namespace."""

from governance.actions.urls import urlpatterns as actions
from governance.meetings.urls import urlpatterns as meetings
from governance.overview.urls import urlpatterns as overview
from governance.quality.urls import urlpatterns as quality
from governance.relationship.urls import urlpatterns as relationship
from governance.requests.urls import urlpatterns as requests
from governance.risks.urls import urlpatterns as risks
from governance.workload.urls import urlpatterns as workload

app_name = "governance"

urlpatterns = [*overview, *actions, *meetings, *risks, *quality, *relationship, *requests,
               *workload]
