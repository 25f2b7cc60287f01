"""URLs of the metrics app: each topic's own list, under the one `metrics:` namespace."""

from metrics.computed.urls import urlpatterns as computed
from metrics.imports.urls import urlpatterns as imports
from metrics.kpis.urls import urlpatterns as kpis
from metrics.measurements.urls import urlpatterns as measurements
from metrics.portfolio.urls import urlpatterns as portfolio
from metrics.scorecard.urls import urlpatterns as scorecard
from metrics.steering.urls import urlpatterns as steering

app_name = "metrics"

# Computed first: its compute/ would otherwise be read as a definition's step.
urlpatterns = [*computed, *portfolio, *steering, *scorecard, *kpis, *measurements, *imports]
