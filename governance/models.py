"""Governance: meetings, actions, requests, quality oversight, risks (DESIGN §3; later issues)."""
