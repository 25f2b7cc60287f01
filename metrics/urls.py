"""URLs of the metrics app: each topic's own list, under the one `metrics:` namespace."""

from metrics.kpis.urls import urlpatterns as kpis
from metrics.measurements.urls import urlpatterns as measurements
from metrics.portfolio.urls import urlpatterns as portfolio

app_name = "metrics"

urlpatterns = [*portfolio, *kpis, *measurements]
