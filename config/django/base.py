"""Settings shared by every environment. Integrations live in config/settings/<x>.py."""

from pathlib import Path

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, env

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc served from the pip package (no CDN)
    "django_htmx",
    "reversion",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",  # the authenticator app (TOTP, RFC 6238)
    "django_otp.plugins.otp_static",  # recovery codes
    "ikms.core",
    "ikms.accounts",
    "ikms.registry",
    "ikms.cases",  # the shared case core: documents, deadlines, work queue (ADR 0022)
    "ikms.portal",
    "ikms.monitoring",
    "ikms.childcare",  # register of child supervision providers (issue 14)
    "ikms.practice",  # teacher private-practice certificates (issue 14)
    "ikms.courses",  # courses and events for heads, founders and experts (issue 14 item 7)
    "ikms.accreditation",
    "ikms.complaints",  # supervision: complaints, consultations, satisfaction survey
    "ikms.inspections",  # supervision: inspections, acts, orders and follow-up, thematic questionnaires
    "ikms.licensing",  # programme licensing applications on the case core (issue 14 item 1)
    "ikms.crosschecks",  # cross-register checks and adult-education offer lists (issue 14 item 9)
    "ikms.psychologists",  # the register of psychologists and the Psychologist Certification Board (issue 14)
    "ikms.convictions",  # persons with a spent conviction: the assessment commission (strictly restricted)
    "ikms.statements",  # statements of a person's education history for other authorities (issue 14 item 8)
    "ikms.reports",  # reports made from the records: annual, municipal, quarterly, EQAVET (issue 16)
    "ikms.attendance",  # the long-term absence hand-off from schools to municipalities (issue 15 item 8)
    "ikms.web",  # the top layer: it may import every app listed before it (ADR 0018)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "ikms.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor of this session
    "ikms.core.middleware.NullCharactersMiddleware",  # before any view reads the query string
    "ikms.monitoring.selectors.ResultsMemoMiddleware",  # the computation runs read once per request
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ikms.accounts.middleware.SessionLimitsMiddleware",  # idle and absolute session limits (ADR 0014)
    "ikms.accounts.middleware.SecondFactorMiddleware",  # no page or API call before the second factor (ADR 0019)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Security headers on every response (OWASP ASVS 14.4). Scripts and style sheets come only from our own static
# files: no inline <script>, no event-handler attributes, no style="" (tests/test_csp.py greps the templates,
# tests/browser/test_csp.py counts violations in Chromium). Plotly styles its charts through the CSSOM
# (element.style, insertRule), which style-src does not govern. The API docs pages relax style-src for their
# third-party bundles (config/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Powerful browser features IKMS never uses, switched off for the page and anything it could embed.
IKMS_PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(self), "
    "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), "
    "xr-spatial-tracking=()"
)

# Sessions (ASVS 3.3): signed out after IKMS_SESSION_IDLE_SECONDS without a request and, whatever the activity,
# IKMS_SESSION_MAX_SECONDS after signing in (ikms.accounts.middleware, ADR 0014).
IKMS_SESSION_IDLE_SECONDS = env.int("IKMS_SESSION_IDLE_SECONDS", default=30 * 60)
IKMS_SESSION_MAX_SECONDS = env.int("IKMS_SESSION_MAX_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_AGE = IKMS_SESSION_MAX_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A password reset link works once (the token hashes the password and last login) and for one hour.
PASSWORD_RESET_TIMEOUT = env.int("IKMS_PASSWORD_RESET_TIMEOUT", default=60 * 60)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "ikms.web.context_processors.ikms",
            ],
        },
    },
]
FORM_RENDERER = "ikms.core.forms.GovukFormRenderer"

# SQLite is the embedded default; DATABASE_URL=postgres://... switches to PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'ikms.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES["default"]["ATOMIC_REQUESTS"] = False  # services own their transactions (ADR 0002)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 30, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: a locked username+address checks no password
    "ikms.accounts.throttling.ThrottledModelBackend",  # ModelBackend that records failures per account
]
# Argon2id with OWASP's parameters (ADR 0022); the PBKDF2 hashers after it verify older hashes, which are rehashed
# with Argon2id at the user's next sign-in.
PASSWORD_HASHERS = [
    "ikms.accounts.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:my-work"  # "Mani darbi": every signed-in user's start page
LOGOUT_REDIRECT_URL = "portal:home"

# Brute-force protection (django-axes): lock a username+IP pair after 5 failures for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
# The client address axes keys on (ikms.accounts.throttling.client_ip): REMOTE_ADDR here; only production
# (config/django/production.py) reads X-Forwarded-For, through IKMS_TRUSTED_PROXY_COUNT trusted proxies.
AXES_CLIENT_IP_CALLABLE = "ikms.accounts.throttling.client_ip"
IKMS_TRUSTED_PROXY_COUNT = 0
# Per-account throttling across all addresses (ADR 0015): after FREE failures in a row for a username, each
# attempt waits BASE seconds after the last failure, doubled per further failure, at most MAX; LOCK failures
# within the window lock the account until an administrator or the e-mailed link (valid UNLOCK_TIMEOUT) unlocks it.
IKMS_LOGIN_THROTTLE_FREE_FAILURES = env.int("IKMS_LOGIN_THROTTLE_FREE_FAILURES", default=10)
IKMS_LOGIN_THROTTLE_BASE_SECONDS = env.int("IKMS_LOGIN_THROTTLE_BASE_SECONDS", default=1)
IKMS_LOGIN_THROTTLE_MAX_SECONDS = env.int("IKMS_LOGIN_THROTTLE_MAX_SECONDS", default=10 * 60)
IKMS_LOGIN_LOCK_FAILURES = env.int("IKMS_LOGIN_LOCK_FAILURES", default=100)
IKMS_LOGIN_LOCK_WINDOW_SECONDS = env.int("IKMS_LOGIN_LOCK_WINDOW_SECONDS", default=24 * 60 * 60)
IKMS_LOGIN_UNLOCK_TIMEOUT = env.int("IKMS_LOGIN_UNLOCK_TIMEOUT", default=24 * 60 * 60)

# Second factor (ADR 0019): with IKMS_REQUIRE_2FA on, IKVD staff and accreditation experts
# (ikms.accounts.permissions.requires_second_factor) reach nothing but the set-up and verification pages until they
# have entered a code from an authenticator app (TOTP) or a recovery code in this session. On in production (always)
# and by default; off in the demo (config/django/local.py) and the tests. Anyone who has set up an app is asked for
# its code at every sign-in, whether required or not.
IKMS_REQUIRE_2FA = env.bool("IKMS_REQUIRE_2FA", default=True)
IKMS_RECOVERY_CODE_COUNT = 10
OTP_TOTP_ISSUER = "IKMS"  # the name the authenticator app shows beside the username
# Wrong codes make the next attempt wait 1, 2, 4, 8 … seconds (per device; django-otp's ThrottlingMixin).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # never show a TOTP secret or a recovery code in the admin

# Latvian first, English complete.
LANGUAGE_CODE = "lv"
LANGUAGES = [("lv", _("Latvian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# One date and number format per language (config/formats/): 27.03.2025. and 66,8 in Latvian, 27 March 2025 and
# 66.8 in English. Templates write `{{ day|date }}` (or `|date:"DATETIME_FORMAT"`) and `{{ x|num }}`.
FORMAT_MODULE_PATH = ["config.formats"]
# Where people write about the service (the accessibility statement's feedback address; ikms/web/help_pages.py).
IKMS_CONTACT_EMAIL = env("IKMS_CONTACT_EMAIL", default="pasts@ikvd.gov.lv")
TIME_ZONE = "Europe/Riga"
USE_TZ = True

# Monitoring results never change once a run is done, so pages cache their heavy parts keyed by run ids
# (ikms.monitoring.selectors.state_key), and a completed run fills the cache of the key pages (ikms.monitoring.warm).
# The cache is a table of the database IKMS already has, so every web worker and the task worker share it (ADR 0021;
# `migrate` creates the table). DJANGO_CACHE_URL chooses another (locmemcache://, memcache://, redis://).
CACHES = {"default": env.cache("DJANGO_CACHE_URL", default="dbcache://ikms_cache")}
CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 5000)
CACHES["default"].setdefault("TIMEOUT", 3600)
# After a computation is stored, the task worker renders the national dashboard, the risk list and the municipalities'
# dashboards into that cache (ikms.monitoring.warm); off, the first visitor of each builds them.
IKMS_WARM_RESULT_PAGES = env.bool("IKMS_WARM_RESULT_PAGES", default=True)
# A server process does the per-process work of a first request before it serves (ikms.web.warmup, config/wsgi.py).
IKMS_PREPARE_PROCESS = env.bool("IKMS_PREPARE_PROCESS", default=True)

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    BASE_DIR / "build" / "static",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "ikms.core.staticfinders.PlotlyFinder",  # plotly.min.js from the pip package
]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "ikms.core.api.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "ikms.core.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ikms.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "IKMS API",
    "DESCRIPTION": (
        "Izglītības kvalitātes monitoringa sistēma (IKMS). The registers (institutions, programmes, decisions); "
        "monitoring: the indicator catalogue, indicator values per institution, municipality and the nation, "
        "risk flags with their evidence, the visit plan and the computation runs; supervision: complaints "
        "(supervision staff every one, a founder those forwarded to it; the submitter's name, contact and the "
        "complaint's own text only to supervision staff, and never for a submitter who asked for confidentiality) "
        "and inspections (IKVD staff every one, a head or founder its institutions' once the act is sent: act, "
        "findings, recommendations and orders with their deadlines, status and follow-up evidence); and the public "
        "register. "
        "Staff endpoints use the web session (sign in at /accounts/login/; POSTs need the CSRF token in "
        "X-CSRFToken) and show only what the user's roles allow, exactly like the pages. Lists are paginated "
        "(`page`, `page_size` from 1 to 500). Query parameters are checked: an unknown enum value, a school year "
        "that is not one (YYYY/YYYY, the second year following the first) or malformed paging is a 400 naming the "
        "parameter. Every endpoint answers in the language of the language cookie or Accept-Language (lv, en; "
        "Latvian by default)."
    ),
    "VERSION": "1.2.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",  # tags and operation ids from the path after /api/v1/
    "COMPONENT_SPLIT_REQUEST": True,  # separate input components (write-only fields, required ones)
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "InstitutionStatusEnum": "ikms.registry.choices.InstitutionStatus",
        "LicenceStatusEnum": "ikms.registry.choices.LicenceStatus",
        "RunStatusEnum": "ikms.monitoring.models.ComputationRun.Status",
        "VisitStatusEnum": "ikms.monitoring.models.VisitStatus",
        "VisitReasonEnum": "ikms.monitoring.models.VisitReason",
        "ComplaintListStateEnum": "ikms.complaints.choices.ListState",
        "InspectionKindEnum": "ikms.inspections.choices.InspectionKind",
        "InspectionStateEnum": "ikms.inspections.choices.InspectionState",
        "OrderKindEnum": "ikms.inspections.choices.OrderKind",
        "OrderStateEnum": "ikms.inspections.choices.OrderState",
        "EvidenceStateEnum": "ikms.inspections.choices.EvidenceState",
    },
}

# Background jobs through Django's task API (django-tasks): immediate in the demo,
# a database-backed queue with `manage.py db_worker` in production (ADR 0007).
TASKS = {
    "default": {
        "BACKEND": env("IKMS_TASK_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend"),
    }
}

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="ikms@localhost")
# The public address of the site, for links in e-mails written outside a request (the survey link).
IKMS_SITE_URL = env("IKMS_SITE_URL", default="http://localhost:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}

# The Parquet data lake (generated or imported; never committed) and the hidden latent quality of
# the synthetic data (for back-tests only: never inside the lake or the web database).
IKMS_LAKE_DIR = env.path("IKMS_LAKE_DIR", default=str(BASE_DIR / "var" / "lake"))
IKMS_LATENT_PATH = env.path("IKMS_LATENT_PATH", default=str(BASE_DIR / "var" / "latent" / "latent.parquet"))
# The public complaint form: the least seconds between showing and sending it, and complaints an hour per address.
IKMS_COMPLAINT_FORM_MIN_SECONDS = env.int("IKMS_COMPLAINT_FORM_MIN_SECONDS", default=5)
IKMS_COMPLAINT_FORM_PER_HOUR = env.int("IKMS_COMPLAINT_FORM_PER_HOUR", default=5)
# Possible duplicate complaints (analytics.complaints.similar): texts at least this alike (0–1), received within
# this many days of each other and about a common institution, are shown to the inspector to check.
IKMS_COMPLAINT_DUPLICATE_SIMILARITY = env.float("IKMS_COMPLAINT_DUPLICATE_SIMILARITY", default=0.7)
IKMS_COMPLAINT_DUPLICATE_DAYS = env.int("IKMS_COMPLAINT_DUPLICATE_DAYS", default=90)
IKMS_COMPLAINT_TOPIC_MODEL = env.path(
    "IKMS_COMPLAINT_TOPIC_MODEL", default=str(BASE_DIR / "var" / "models" / "complaint_topics.joblib")
)
# The school risk score's model file (`manage.py risk_model_train` writes it, `risk_scores_compute` reads it).
IKMS_RISK_MODEL = env.path("IKMS_RISK_MODEL", default=str(BASE_DIR / "var" / "models" / "risk_score.joblib"))
# Recorded SQL of institution-scoped recomputes, reused by later processes (ADR 0012); empty: memory only.
_plan_dir = env.str("IKMS_PLAN_DIR", default=str(BASE_DIR / "var" / "plans"))
IKMS_PLAN_DIR = Path(_plan_dir) if _plan_dir else None
# Key of the keyed hash that replaces personal codes (required in production).
IKMS_PSEUDONYM_KEY = env("IKMS_PSEUDONYM_KEY", default="ikms-development-pseudonym-key")

# Where a real deployment finds shared reference data (never copied into the project).
IKMS_SHARED_DIR = env.path("IKMS_SHARED_DIR", default=str(BASE_DIR.parent / "shared"))

# The shared case core (ikms.cases, ADR 0022). Case documents are kept under a private root, never under the static
# files or a public media URL: they are served only by the download view, which checks access and audits.
IKMS_PRIVATE_MEDIA_ROOT = env.path("IKMS_PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private"))
# The largest document one upload may hold (bytes), and the kinds of document accepted (ikms.cases.files.FILE_TYPES).
IKMS_ATTACHMENT_MAX_BYTES = env.int("IKMS_ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
IKMS_ATTACHMENT_TYPES = env.list(
    "IKMS_ATTACHMENT_TYPES", default=["pdf", "docx", "odt", "xlsx", "ods", "png", "jpeg", "txt", "csv"]
)
# Days off and working days the Cabinet moved that the installed `holidays` package does not know yet (YAML).
IKMS_WORKING_DAYS_FILE = env.path(
    "IKMS_WORKING_DAYS_FILE", default=str(BASE_DIR / "ikms" / "cases" / "data" / "working_days.yaml")
)
# A deadline is "due soon" on the work queue this many working days before it falls due (and reminded then).
IKMS_DEADLINE_DUE_SOON_WORKING_DAYS = env.int("IKMS_DEADLINE_DUE_SOON_WORKING_DAYS", default=5)
#: Accreditation: the days after the application that the commission's evaluation is expected in, while the case
#: has no planned evaluation dates yet (experts unavailable in that window are not offered for the commission).
IKMS_ACCREDITATION_EVALUATION_WINDOW_DAYS = env.int("IKMS_ACCREDITATION_EVALUATION_WINDOW_DAYS", default=120)
