"""The shared cache's table (ADR 0021): `migrate` creates it, so a deployment needs no extra step.

Django keeps the database cache's table out of migrations (`manage.py createcachetable`); this receiver of
`post_migrate` runs that command for the database just migrated. It does nothing when no cache is a
DatabaseCache, and nothing for a table that already exists."""

from django.core.management import call_command


def create_cache_table(sender, using: str = "default", **kwargs) -> None:
    """Receiver of post_migrate (sent once per app; connected for the core app only)."""
    call_command("createcachetable", database=using, verbosity=0)
