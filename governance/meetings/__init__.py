"""Meetings of the two parties (series, attendees, minutes, iCalendar files and personal
feeds) and the decision log."""


def register() -> None:
    """Meetings and decisions in global search, recent activity and "Coming up"
    (portal.registries)."""
    from django.urls import reverse

    from governance.meetings.models import Decision, Meeting
    from governance.meetings.selectors import meetings_coming_up
    from portal.registries import activity, coming_up, search

    search.register("Meetings", noun="meetings", model=Meeting, records=Meeting.objects.visible_to,
                    snippet_fields=("agenda", "minutes", "location"), names=("title",))
    search.register("Decisions", noun="decisions", model=Decision,
                    records=Decision.objects.visible_to, snippet_fields=("rationale",),
                    names=("title",))
    # A series of meetings is scheduled once: its first meeting stands for it.
    activity.register("Meeting", label="title",
                      records=lambda user: Meeting.objects.visible_to(user).filter(
                          series__isnull=True),
                      url=lambda partnership_id, pk: reverse(
                          "governance:meeting_detail", args=[partnership_id, pk]))
    activity.register("Decision", records=Decision.objects.visible_to, label="title",
                      url=lambda partnership_id, pk: reverse(
                          "governance:decision_detail", args=[partnership_id, pk]))
    coming_up.register("meeting", provider=meetings_coming_up,
                       template="governance/meeting_coming_up.html")
