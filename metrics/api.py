"""API routes of the metrics app (portal.api builds the router from every app's `routes`):
each topic's own, in the order the API root lists them."""

from metrics.imports.api import routes as imports
from metrics.kpis.api import routes as kpis
from metrics.measurements.api import routes as measurements
from metrics.portfolio.api import routes as portfolio
from metrics.steering.api import routes as steering

routes = [*kpis, *measurements, *imports, *portfolio, *steering]
