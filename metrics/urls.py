"""URLs of the metrics app: each topic's own list, under the one `metrics:` namespace."""

from metrics.kpis.urls import urlpatterns as kpis
from metrics.measurements.urls import urlpatterns as measurements
from metrics.portfolio.urls import urlpatterns as portfolio
from metrics.steering.urls import urlpatterns as steering

app_name = "metrics"

urlpatterns = [*portfolio, *steering, *kpis, *measurements]
