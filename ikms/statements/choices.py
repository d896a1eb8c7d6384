from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Education levels of the monitoring data (analytics/lake/schemas.py LEVELS)."""

    PRESCHOOL = "preschool", _("Pre-school education")
    BASIC = "basic", _("Basic education")
    SECONDARY = "secondary", _("Secondary education")
    VOCATIONAL = "vocational", _("Vocational education")


#: The same levels in Latvian, for the statement's PDF (always in Latvian).
LEVELS_LV = {
    "preschool": "pirmsskolas izglītība",
    "basic": "pamatizglītība",
    "secondary": "vispārējā vidējā izglītība",
    "vocational": "profesionālā izglītība",
}


def level_label(code: str) -> str:
    try:
        return str(Level(code).label)
    except ValueError:
        return code
