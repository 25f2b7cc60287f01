"""Notifications: notify() for every app, the bell and its pages, people's delivery choice
per kind, the e-mails and the daily digest. The kinds themselves are registered by the
apps that send them (portal.registries.notification_kinds)."""
