"""Metrics: KPI definitions, measurements and dashboards (DESIGN §3; later issues)."""
