"""State machines declared once per model: which status may follow which, and its button."""

from django.core.exceptions import ValidationError


class Workflow:
    """`transitions` maps a status to {next status: button label}."""

    def __init__(self, transitions: dict[str, dict[str, str]]):
        self.transitions = transitions

    def next_statuses(self, current: str) -> dict[str, str]:
        return self.transitions.get(current, {})

    def check(self, current: str, target: str) -> None:
        if target not in self.next_statuses(current):
            raise ValidationError(
                {"status": f"A record that is “{current}” cannot become “{target}”."}
            )
