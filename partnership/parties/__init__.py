"""Parties: organizations, their domains and sites, people, partnerships and seats; accounts,
invitations, the partnership list and home."""
