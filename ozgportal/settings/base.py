"""Settings shared by every environment.

Every environment variable the portal reads is read here, once, with its default; the README lists them.
The environment modules (dev, test, production) only change defaults.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# --- Core -------------------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
# Development default only; production.py refuses to start without a real key.
SECRET_KEY = env.str("SECRET_KEY", default="unsicher-nur-fuer-die-entwicklung")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "rest_framework_api_key",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "redaktion",
    "ozgportal",
    "catalog",
    "themenfelder",
    "labore",
    "core.api",
    "django_celery_beat",
    "berichte",
    "opendata",
    "dashboard",
]

MIDDLEWARE = [
    "ozgportal.observability.RequestIdMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "ozgportal.middleware.AllowedMethodsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ozgportal.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.kontext.KontextMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "ozgportal.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ozgportal.urls"
WSGI_APPLICATION = "ozgportal.wsgi.application"

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
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------------
# The embedded default is a SQLite file beside manage.py; DATABASE_URL=postgres://… selects PostgreSQL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while an import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker and cache ------------------------------------------------------------------------
# Without REDIS_URL the portal is self-contained: Celery tasks run inline and the cache is in memory.
REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="ozgportal"),
            # With Redis down the portal keeps serving from the database: cache misses instead of errors.
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TIMEZONE = "Europe/Berlin"

# --- Auth -------------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First: refuses locked-out logins before any other backend checks the password.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation ---------------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static files -----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files the portal keeps between requests (pending admin imports): with several web nodes a shared volume.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Data -------------------------------------------------------------------------------------------
# The product reads its real data from the repository's fixtures/, never from ../shared.
FIXTURES_DIR = BASE_DIR / "fixtures"

# --- Logging ----------------------------------------------------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
# "json" (one object per line, with request id) for production log collectors, "plain" for a terminal.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ozgportal.observability.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(client_ip)s] %(message)s"},
        "json": {"()": "ozgportal.observability.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Reverse proxies --------------------------------------------------------------------------------
# How many reverse proxies in front of the portal append to X-Forwarded-For (nginx, haproxy, a load balancer).
# 0 (default): the header is ignored and the socket address is the client. One setting for the API throttle,
# django-axes' lockout, the request logs (core.proxy.client_ip) and, in production, X-Forwarded-Proto.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)

# --- HTTP hardening (production.py adds the TLS-only settings) --------------------------------------
ALLOWED_HTTP_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# --- E-mail ---------------------------------------------------------------------------------------
# EMAIL_URL, e.g. smtp+tls://user:password@mail.example.org:587 or smtps://… (django-environ's email_url);
# consolemail:// writes mails to the log. Followers' mails wait in an outbox and are sent, and retried with backoff,
# by opendata.tasks.emails_senden and every relay run; opendata.tasks.email_senden sends a single mail with retries.
vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="OZG-Portal <noreply@localhost>")
# Sender of the error mails Django sends to ADMINS.
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
EMAIL_MAX_VERSUCHE = env.int("EMAIL_MAX_VERSUCHE", default=5)
# Followers' mails wait in an outbox (opendata.EmailAusgang); a failed one is retried after 1×, 2×, 4× … this.
EMAIL_BACKOFF_SEKUNDEN = env.int("EMAIL_BACKOFF_SEKUNDEN", default=60)

# --- Public pages: who runs this installation (Impressum, Datenschutz, Barrierefreiheit) --------------
# Empty by default: the pages then say that the operator has not been entered yet, rather than invent one.
PORTAL_BETREIBER = env.str("PORTAL_BETREIBER", default="")
PORTAL_KONTAKT_EMAIL = env.str("PORTAL_KONTAKT_EMAIL", default="")

# --- Content Security Policy (public pages) ---------------------------------------------------------
# Everything is served from our own host (KERN UX from npm via whitenoise, no CDN), and the pages need no inline
# script or style. data: images only because KERN's CSS draws its icons as data: SVG masks.
from csp.constants import NONE, SELF  # noqa: E402

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

# --- Redaktion und Anmeldung ------------------------------------------------------------------------
# Brute-force lockout (django-axes): after 5 failed logins for one user name from one address, that pair is
# locked for an hour; a successful login resets the count. Second factor (django-otp, TOTP) is optional per
# user: whoever has a confirmed device must enter its code at the admin login (redaktion.forms).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/gesperrt.html"
# The client address behind TRUSTED_PROXIES, never a header the client wrote itself.
AXES_CLIENT_IP_CALLABLE = "core.proxy.client_ip"
OTP_TOTP_ISSUER = "OZG-Portal"

# --- Berichte und Celery ----------------------------------------------------------------------------
# Reports are rebuilt by Celery tasks on the queue "berichte" (worker: make worker, which also serves "default").
CELERY_TASK_ROUTES = {"berichte.*": {"queue": "berichte"}}
# Results (e.g. for tests and the admin) in Redis where there is one; inline runs need none.
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_RESULT_EXPIRES = 24 * 3600
# Schedules live in the database, editable in the admin; berichte's migration creates the nightly rebuild.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Seconds a build may take; also PostgreSQL's statement_timeout inside the build.
BERICHTE_ZEITLIMIT = env.int("BERICHTE_ZEITLIMIT", default=1800)
# Expiry of the single-flight lock; a heartbeat extends it while a build runs, so this is how long a killed
# worker's lock lingers.
BERICHTE_SPERRE_SEKUNDEN = env.int("BERICHTE_SPERRE_SEKUNDEN", default=60)
# Changes within this many seconds are collected into one build.
BERICHTE_ENTPRELLEN_SEKUNDEN = env.int("BERICHTE_ENTPRELLEN_SEKUNDEN", default=10)
BERICHTE_BELEGT_WARTEN = 5  # seconds before retrying when another build of the same report is running
BERICHTE_BELEGT_VERSUCHE = 720
# Builds that keep their detail rows; older builds keep only their figures (for the progress chart).
BERICHTE_LAEUFE_MIT_DETAILS = env.int("BERICHTE_LAEUFE_MIT_DETAILS", default=30)
# PostgreSQL work_mem for the build's transaction only.
BERICHTE_WORK_MEM = env.str("BERICHTE_WORK_MEM", default="64MB")
# Rebuild after relevant changes (off: only nightly and on demand).
BERICHTE_AUTOMATISCH = env.bool("BERICHTE_AUTOMATISCH", default=True)

# --- API --------------------------------------------------------------------------------------------

# /api/v1/ for dashboards (ozgportal/api/). Anonymous clients are limited per IP; API keys (admin → API Keys)
# and signed-in staff are not.
API_THROTTLE_ANON = env.str("API_THROTTLE_ANON", default="120/min")
# Fresh whole-list exports (?format=csv|xlsx) per client, keys and staff included; a 304 revalidation is free.
API_THROTTLE_EXPORT = env.str("API_THROTTLE_EXPORT", default="20/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.permissions.ApiSchluesselAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.ApiPermission"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "core.api.renderers.CSVRenderer",
        "core.api.renderers.XLSXRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.api.negotiation.ContentNegotiation",
    "DEFAULT_FILTER_BACKENDS": ["core.api.filters.FilterBackend", "core.api.filters.StrictOrderingFilter"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.SeitenPagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttling.AnonymThrottle",
        "core.api.throttling.ExportThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": API_THROTTLE_ANON or None, "export": API_THROTTLE_EXPORT or None},
    # DRF trusts the whole X-Forwarded-For when this is None; AnonymThrottle uses core.proxy anyway.
    "NUM_PROXIES": TRUSTED_PROXIES,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "ORDERING_PARAM": "ordering",
    "URL_FORMAT_OVERRIDE": "format",
    "COERCE_DECIMAL_TO_STRING": False,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OZG-Portal API",
    "DESCRIPTION": (
        "Offene Daten zur Umsetzung des Onlinezugangsgesetzes: OZG-Leistungen, LeiKa-Leistungen, Themenfelder, "
        "Labore, Kommunen, Zuständigkeiten und Umsetzungsstände. Lesen ohne Anmeldung; Schreiben mit API-Schlüssel "
        "(Header `Authorization: Api-Key <Schlüssel>`) oder als berechtigte Redaktion. Jede Liste lässt sich "
        "filtern, sortieren (`ordering`) und als CSV oder XLSX abrufen (`format`). Jede GET-Antwort trägt ETag "
        "und Last-Modified; mit If-None-Match bzw. If-Modified-Since antwortet die API 304. Fehler folgen RFC 9457."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.postprocess",
    ],
    "ENUM_NAME_OVERRIDES": {
        "GebietsebeneEnum": "catalog.choices.Ebene",
        "EffektiveEbeneEnum": "catalog.choices.EffektiveEbene",
        "VollzugsEbeneEnum": "catalog.choices.VollzugsEbene",
        "VollzugEnum": "catalog.choices.Vollzug",
        "UmsetzungsStatusEnum": "catalog.choices.UmsetzungsStatus",
        "AnschlussstatusEnum": "catalog.choices.Anschlussstatus",
        "PhasenStatusEnum": "themenfelder.choices.PhasenStatus",
        "PhaseEnum": "themenfelder.choices.Phase",
        "TeilnahmeArtEnum": "themenfelder.choices.TeilnahmeArt",
        "OrganisationArtEnum": "catalog.choices.OrganisationArt",
    },
}
# Rendered GET responses, one entry per address with its ETag (so never stale), in the default cache; 0: off.
API_ANTWORT_CACHE = "default"
API_ANTWORT_CACHE_SEKUNDEN = env.int("API_ANTWORT_CACHE_SEKUNDEN", default=600)
# Rendered public pages for anonymous visitors, keyed by the same Datenstand (core.seitencache); 0: off.
SEITEN_CACHE_SEKUNDEN = env.int("SEITEN_CACHE_SEKUNDEN", default=600)
# The stock (core.vorrat, catalog.vorrat): every Gebietskörperschaft's page and list answer, German and English,
# built before anyone asks and rebuilt after each change that affects it, by the worker. "alle" turns it on
# (about 1 GB of Redis for 16,068 bodies, see README); kept this long, and filled again daily.
SEITEN_VORRAT = env.str("SEITEN_VORRAT", default="aus")
SEITEN_VORRAT_SEKUNDEN = env.int("SEITEN_VORRAT_SEKUNDEN", default=2 * 86400)
SEITEN_VORRAT_ENTPRELLEN_SEKUNDEN = env.int("SEITEN_VORRAT_ENTPRELLEN_SEKUNDEN", default=1)
# Dashboards on other origins: comma-separated allow-list, e.g. https://dashboard.example.org (empty: none).
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "authorization", "content-type", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Content-Disposition", "Retry-After"]

# --- Offene Daten -----------------------------------------------------------------------------------
# Bulk downloads (/opendaten/), DCAT-AP.de catalogue, Atom feeds, webhooks and e-mail subscriptions (opendata/).
# Built files live here (not in git); each is written to a temporary file and renamed into place. With several
# nodes this is a volume they all mount. Object storage instead: STORAGES["opendata"] in an environment module,
# e.g. {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": …}} with django-storages[s3].
OPENDATA_DIR = Path(env.str("OPENDATA_DIR", default=str(BASE_DIR / "var" / "opendata")))
# Rebuild the files after relevant changes (debounced like the reports); off: only make load / on demand.
OPENDATA_AUTOMATISCH = env.bool("OPENDATA_AUTOMATISCH", default=True)
OPENDATA_ENTPRELLEN_SEKUNDEN = env.int("OPENDATA_ENTPRELLEN_SEKUNDEN", default=30)
# Publisher in the DCAT catalogue: PORTAL_BETREIBER if set, else this clearly labelled placeholder.
OPENDATA_HERAUSGEBER = env.str("OPENDATA_HERAUSGEBER", default="Betreiber des OZG-Portals (noch nicht eingetragen)")
# Public base address for the absolute URIs of the catalogue and feeds (empty: taken from the request); also the
# address the stock of pages (SEITEN_VORRAT) builds for (empty: https and the first of ALLOWED_HOSTS).
OPENDATA_BASIS_URL = env.str("OPENDATA_BASIS_URL", default="")
# dcatde:contributorID as assigned by GovData; empty: a placeholder URI under the portal's own address.
OPENDATA_CONTRIBUTOR_ID = env.str("OPENDATA_CONTRIBUTOR_ID", default="")
# Webhooks: seconds of the first retry (doubled per attempt, capped), attempts before giving up, request timeout.
WEBHOOK_BACKOFF_SEKUNDEN = env.int("WEBHOOK_BACKOFF_SEKUNDEN", default=30)
WEBHOOK_BACKOFF_MAX_SEKUNDEN = 6 * 3600
WEBHOOK_MAX_VERSUCHE = env.int("WEBHOOK_MAX_VERSUCHE", default=10)
WEBHOOK_TIMEOUT_SEKUNDEN = 10
# Webhooks go to public addresses only (opendata.ziele); True only for tests with a receiver on 127.0.0.1.
WEBHOOK_LOOPBACK_ERLAUBT = env.bool("WEBHOOK_LOOPBACK_ERLAUBT", default=False)
CELERY_TASK_ROUTES["opendata.*"] = {"queue": "default"}
# With the long jobs: after a Kommune's edit four builds, after a bulk import or a catalogue change thousands, which
# must not hold up the relay and the webhooks on "default".
CELERY_TASK_ROUTES["catalog.seitenvorrat"] = {"queue": "berichte"}

# --- Änderungsprotokoll (core) ----------------------------------------------------------------------
# Every write to a model of these apps (and these models) gets a log entry; the relay hands them to consumers.
AENDERUNGEN_APPS = ("catalog", "themenfelder", "labore", "dashboard")
AENDERUNGEN_MODELLE = ("berichte.AktuellerBericht",)
# Entries per consumer and relay transaction.
AENDERUNGEN_STAPEL = env.int("AENDERUNGEN_STAPEL", default=5000)
# A rebuild demanded but not done (its message lost with a killed worker) is queued again after this quiet time.
NEUBAU_NACHHOLEN_SEKUNDEN = env.int("NEUBAU_NACHHOLEN_SEKUNDEN", default=600)
CELERY_TASK_ROUTES["core.*"] = {"queue": "default"}

# --- Bundesdashboard (dashboard/) ---------------------------------------------------------------------
# Import from a URL of the federal API: at most so many pages and bytes, each request with this timeout (s).
DASHBOARD_IMPORT_MAX_SEITEN = env.int("DASHBOARD_IMPORT_MAX_SEITEN", default=1000)
DASHBOARD_IMPORT_MAX_BYTES = env.int("DASHBOARD_IMPORT_MAX_BYTES", default=200 * 1024 * 1024)
DASHBOARD_IMPORT_TIMEOUT = env.float("DASHBOARD_IMPORT_TIMEOUT", default=30.0)
