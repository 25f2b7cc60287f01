"""Deliverables of SOWs, their acceptance criteria and the receiving party's reviews."""
