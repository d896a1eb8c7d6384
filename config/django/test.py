"""Test settings: fast hashing, in-memory mail, immediate tasks."""

import os
import tempfile
from pathlib import Path

from config.django.base import *  # noqa: F403
from config.django.base import AXES_FAILURE_LIMIT  # noqa: F401

SECRET_KEY = "ikms-test-key-not-for-production"
IKMS_PLAN_DIR = None  # recorded plans stay in memory unless a test gives a folder
# A lake of its own per test process, never the demo's var/lake (register decisions refresh the lake's
# register snapshot); tests that need data set settings.IKMS_LAKE_DIR to a tmp_path.
IKMS_LAKE_DIR = Path(tempfile.gettempdir()) / f"ikms-test-lake-{os.getpid()}"
DEBUG = False
# Case documents of this test process (tests that look at the files set a tmp_path of their own).
IKMS_PRIVATE_MEDIA_ROOT = Path(tempfile.gettempdir()) / f"ikms-test-private-{os.getpid()}"
# The complaint topic model the demo trains: one per test process, never the demo's var/models.
IKMS_COMPLAINT_TOPIC_MODEL = Path(tempfile.gettempdir()) / f"ikms-test-topics-{os.getpid()}.joblib"
# The risk score model: one per test process, never the demo's var/models.
IKMS_RISK_MODEL = Path(tempfile.gettempdir()) / f"ikms-test-risk-{os.getpid()}.joblib"
# Tests sign users in with the password alone; ikms/accounts/tests/test_second_factor.py turns the rule on.
IKMS_REQUIRE_2FA = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# One cache per test process, emptied by the fixtures that need it; the tests of warming switch it on.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ikms-test",
                      "OPTIONS": {"MAX_ENTRIES": 20000}, "TIMEOUT": 3600}}
IKMS_WARM_RESULT_PAGES = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files straight from the finders (no collectstatic outside production).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
