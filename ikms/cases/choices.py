from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Direction(models.TextChoices):
    """Where a case document comes from."""

    RECEIVED = "received", pgettext_lazy("document", "Received")
    SENT = "sent", pgettext_lazy("document", "Sent")
    INTERNAL = "internal", pgettext_lazy("document", "Internal")


class Urgency(models.TextChoices):
    """Where an open deadline stands on the work queue."""

    OVERDUE = "overdue", _("Overdue")
    DUE_SOON = "due_soon", _("Due soon")
    OPEN = "open", pgettext_lazy("deadline", "Open")
