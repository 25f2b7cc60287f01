"""The scale data set's KPIs (run by seed_scale_governance)."""

from partnership import scale


class Command(scale.PartCommand):
    help = "The scale data set's KPIs (run by seed_scale_governance)."

    def handle(self, *args, size, loader, timer, **options):
        pass
