"""Computation runs in the admin (read-only): what was computed, from which data and specification."""

from django.contrib import admin

from ikms.monitoring.models import ComputationRun
from ikms.registry.admin import ReadOnlyAdmin


@admin.register(ComputationRun)
class ComputationRunAdmin(ReadOnlyAdmin):
    list_display = ("school_year", "engine", "status", "started_at", "duration_s", "value_count", "flag_count",
                    "catalogue_version")
    list_filter = ("school_year", "status", "engine")
