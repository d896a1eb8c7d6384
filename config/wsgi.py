"""WSGI entry point. The process is prepared before it serves (ikms.web.warmup), so no visitor waits for it."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.production")
application = get_wsgi_application()

if settings.IKMS_PREPARE_PROCESS:
    from ikms.web.warmup import prepare_process

    prepare_process()
