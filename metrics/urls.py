"""URLs of the metrics app: each topic's own list, under the one `metrics:` namespace."""

from metrics.imports.urls import urlpatterns as imports
from metrics.kpis.urls import urlpatterns as kpis
from metrics.measurements.urls import urlpatterns as measurements

app_name = "metrics"

urlpatterns = [*kpis, *measurements, *imports]
