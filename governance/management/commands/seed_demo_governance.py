"""Demo action items for the demo partnerships (run by seed_demo; idempotent).

Dates are relative to today so the demo always has something overdue, due this week and
later, whatever day it is run.
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from governance.models import ActionItem
from partnership.models import Partnership, User

NM = ("Northwind Biologics", "Meridian Biomanufacturing")
NA = ("Northwind Biologics", "Aurora Analytical Labs")
HM = ("Helix Therapeutics", "Meridian Biomanufacturing")

ACTIONS = [
    # partnership, title, owner, days from today, priority, status
    (NM, "Send the executed batch record of DS lot 3", "mei@meridian.example", -4, "high",
     "in_progress"),
    (NM, "Confirm the Q1 2027 PPQ slot in writing", "mei@meridian.example", 2, "high", "open"),
    (NM, "Approve the updated reference standard protocol", "quinn@northwind.example", -1,
     "medium", "open"),
    (NM, "Share the 2027 demand forecast", "nora@northwind.example", 5, "medium", "open"),
    (NM, "Review the deviation trend for the steering committee", "ravi@meridian.example",
     20, "low", "open"),
    (NM, "Circulate the QBR minutes", "nora@northwind.example", -30, "medium", "done"),
    (NA, "Ship the 18-month stability samples", "nora@northwind.example", 3, "high", "open"),
    (NA, "Send the HPLC transfer raw data", "ari@aurora.example", -2, "medium", "open"),
    (HM, "Confirm the Suzhou campaign dates", "max@meridian.example", 4, "high", "open"),
    (HM, "Sign off the characterization protocol", "hana@helix.example", -3, "medium",
     "open"),
]


class Command(BaseCommand):
    help = "Create or update the demo action items."

    def handle(self, *args, **options):
        today = timezone.localdate()
        for (sponsor, cdmo), title, email, days, priority, status in ACTIONS:
            partnership = Partnership.objects.get(sponsor__name=sponsor, cdmo__name=cdmo)
            ActionItem.objects.update_or_create(
                partnership=partnership, title=title, defaults={
                    "owner": User.objects.get(email=email), "priority": priority,
                    "due_date": today + datetime.timedelta(days=days), "status": status,
                    "author_organization": partnership.sponsor,
                    "completed_at": timezone.now() if status == "done" else None})
