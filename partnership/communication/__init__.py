"""Communication: points of contact, the communication plan and the escalation path."""
