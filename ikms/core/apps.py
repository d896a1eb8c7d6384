from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ikms.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.core import checks
        from django.db.models.signals import post_migrate

        from ikms.core.cache import create_cache_table
        from ikms.core.checks import pseudonym_key_check, second_factor_check

        checks.register(pseudonym_key_check, checks.Tags.security, deploy=True)
        checks.register(second_factor_check, checks.Tags.security, deploy=True)
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="core.cache_table")
