"""Local development and the demo: debug on, a fixed development secret."""

from config.django.base import *  # noqa: F403
from config.env import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="ikms-local-development-key-not-for-production")

# Static files straight from the finders (no collectstatic outside production).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# The demo's accounts sign in with the password alone (README); IKMS_REQUIRE_2FA=true shows the production rule.
# The demo account that has an authenticator app (ikms.accounts.demo) is asked for its code either way.
IKMS_REQUIRE_2FA = env.bool("IKMS_REQUIRE_2FA", default=False)
