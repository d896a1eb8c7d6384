"""Production: every secret from the environment with no default, HTTPS only, database queue."""

from config.django.base import *  # noqa: F403
from config.env import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")  # required: start fails without it
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")  # required, never "*"
DATABASES = {"default": env.db("DATABASE_URL")}  # required
IKMS_PSEUDONYM_KEY = env("IKMS_PSEUDONYM_KEY")  # required: the keyed hash of personal codes
# IKVD staff and accreditation experts sign in with a second factor (ADR 0019); not configurable here.
IKMS_REQUIRE_2FA = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# IKMS runs behind this many reverse proxies, each appending to X-Forwarded-For; the client address (axes' lock,
# ikms.accounts.throttling.client_ip) is the one the outermost trusted proxy saw. 0: REMOTE_ADDR only.
IKMS_TRUSTED_PROXY_COUNT = env.int("IKMS_TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
