"""The benchmark (`make bench`, `manage.py bench`): a database of its own, gunicorn
as production runs it, pages timed in rounds interleaved with a floor, the sweeps, a report.
It knows no domain: what it times comes from the plan an app declares (metrics.bench)."""
