from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ikms.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from ikms.accounts import audit_actions
        from ikms.accounts.middleware import start
        from ikms.core import audit_labels

        audit_labels.register(audit_actions.LABELS)

        user_logged_in.connect(lambda sender, request, user, **kwargs: request is not None and start(request.session),
                               dispatch_uid="ikms-session-limits", weak=False)
