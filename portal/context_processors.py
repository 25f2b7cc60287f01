"""Template context every page needs: the partnership switcher of the top bar."""

from django.apps import apps
from django.utils.functional import SimpleLazyObject


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    partnership_model = apps.get_model("partnership", "Partnership")

    # Lazy: one query, and only on pages that show the top bar.
    return {"nav_partnerships": SimpleLazyObject(lambda: list(
        partnership_model.objects.visible_to(user).select_related("sponsor", "cdmo")))}
