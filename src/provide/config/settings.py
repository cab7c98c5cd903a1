"""Provide's one settings file, driven by environment variables (see ``.env.example``).

Secure by default: DEBUG is off unless ``DJANGO_DEBUG`` says otherwise, the secret key must be
given, and cookies are secure unless ``PROVIDE_INSECURE_COOKIES`` is set for local HTTP use.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF

from provide.accounts.roles import ADMINISTRATOR, ALL_ROLES, ROLES_BY_SLUG
from provide.config.env import (
    SettingError,
    env_bool,
    env_database_url,
    env_int,
    env_list,
    env_proxy_ssl_header,
    env_secret,
    env_str,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPOSITORY_DIR = PACKAGE_DIR.parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env_secret("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSECURE_COOKIES = env_bool("PROVIDE_INSECURE_COOKIES", default=False)
SESSION_COOKIE_SECURE = not INSECURE_COOKIES
CSRF_COOKIE_SECURE = not INSECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("PROVIDE_SESSION_SECONDS", default=8 * 60 * 60, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS only, unless PROVIDE_INSECURE_COOKIES says this is a local HTTP demo (docs/security.md,
# "Headers and storage"). Behind a reverse proxy that ends TLS, DJANGO_SECURE_PROXY_SSL_HEADER
# names the header it sets ("X-Forwarded-Proto: https"); without it every request looks like HTTP.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not INSECURE_COOKIES)
SECURE_HSTS_SECONDS = env_int(
    "DJANGO_SECURE_HSTS_SECONDS", default=0 if INSECURE_COOKIES else 365 * 24 * 60 * 60, minimum=0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not INSECURE_COOKIES
)
# "preload" only consents to the browsers' built-in HTTPS list; someone still has to submit the
# domain, and only a bare domain (not a subdomain such as provide.force.example) can be.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=not INSECURE_COOKIES)
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("DJANGO_SECURE_PROXY_SSL_HEADER")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Files the site writes (uploads kept for the preview step) are its user's alone.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "provide.areas",
    "provide.accounts",
    "provide.audit",
    "provide.people",
    "provide.intake",
    "provide.cases",
    "provide.triage",
    "provide.planning",
    "provide.rota",
    "provide.visits",
    "provide.health",
    "provide.safeguarding",
    "provide.evaluation",
    "provide.demo",
    "provide.web",
    "provide.api",
    "provide.retention",
    "provide.operations",
    "provide.config",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "provide.shared.headers.NoStoreMiddleware",
    "provide.shared.headers.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "provide.accounts.idle.IdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "provide.accounts.mfa_middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # two saves at once: the conflict screen (409), not a 500 (provide.shared.conflicts)
    "provide.shared.conflicts.WriteConflictMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "provide.config.urls"
WSGI_APPLICATION = "provide.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "provide.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env_database_url(
        "DATABASE_URL", "sqlite:///var/provide.sqlite3", base_dir=REPOSITORY_DIR
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# NCSC-style (docs/security.md, "Passwords"): at least 12 characters, no maximum, no composition
# rules; breached, repeated, sequential passwords and ones containing a name are refused.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "provide.accounts.passwords.BreachedPasswordValidator"},
    {"NAME": "provide.accounts.passwords.PredictablePasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out sign-in before any password is checked. The
# single sign-on backend answers only its own callback (provide.accounts.oidc).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "provide.accounts.oidc.SingleSignOnBackend",
]
LOGIN_URL = "web:sign-in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:sign-in"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = REPOSITORY_DIR / "var" / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "provide.accounts.api_authentication.SessionWithSecondFactorAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: the browsable API's pages need inline script and style, which the CSP refuses.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON nested deeper than a request ever needs is a 400, not a RecursionError (issue 16)
    "DEFAULT_PARSER_CLASSES": [
        "provide.api.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "provide.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Provide API",
    "DESCRIPTION": "Police + health co-response for victims of domestic abuse.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # every operation's 400/401/403/404/409 answers (provide.api.schema)
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "provide.api.schema.add_error_responses",
    ],
}
# API tokens (provide api-token) are stored hashed and expire (docs/api.md, "Tokens").
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env_int("PROVIDE_API_TOKEN_HOURS", default=12, minimum=1)),
    "AUTO_REFRESH": False,
}

# A strict Content Security Policy: every script and style comes from a file of this site,
# so no inline <script>, style="..." or <style> in any page (tests/shared/test_headers.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

CELERY_BROKER_URL = env_str("PROVIDE_REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_ALWAYS_EAGER = env_bool("PROVIDE_TASKS_EAGER", default=True)

PROVIDE_SERVICE_NAME = "Provide"
PROVIDE_SHOW_SYNTHETIC_BANNER = env_bool("PROVIDE_SYNTHETIC_BANNER", default=True)
# Largest file the importers accept, in MB (a four-year force extract is about 40 MB).
PROVIDE_IMPORT_MAX_MB = env_int("PROVIDE_IMPORT_MAX_MB", default=100, minimum=1)

# Retention and rights (docs/retention.md; provide.retention). The NHS trust's schedule for
# health-side records: years after the last contact (adult records), and the birthday a child's
# record is kept until. The key of the analysts' pseudonyms: without it one is derived from
# DJANGO_SECRET_KEY, and `provide check` warns (retention.W001).
PROVIDE_RETENTION_HEALTH_YEARS = env_int("PROVIDE_RETENTION_HEALTH_YEARS", default=8, minimum=1)
PROVIDE_RETENTION_HEALTH_CHILD_AGE = env_int(
    "PROVIDE_RETENTION_HEALTH_CHILD_AGE", default=25, minimum=18
)
PROVIDE_PSEUDONYM_KEY = env_secret("PROVIDE_PSEUDONYM_KEY", "")

# The second factor (docs/security.md, "Second factor"). Enforcement sends a signed-in user
# who has not passed their second factor to it, and one whose role needs one to set it up.
PROVIDE_MFA_ENFORCE = env_bool("PROVIDE_MFA_ENFORCE", default=True)
PROVIDE_MFA_REQUIRED_ROLES = env_list(
    "PROVIDE_MFA_REQUIRED_ROLES",
    [role.slug for role in ALL_ROLES if role.is_health or role.slug == ADMINISTRATOR.slug],
)
if _unknown_roles := sorted(set(PROVIDE_MFA_REQUIRED_ROLES) - set(ROLES_BY_SLUG)):
    raise SettingError(
        f"PROVIDE_MFA_REQUIRED_ROLES names unknown roles: {', '.join(_unknown_roles)}"
    )
PROVIDE_MFA_REQUIRED_FOR_ALL = env_bool("PROVIDE_MFA_REQUIRED_FOR_ALL", default=False)
OTP_TOTP_ISSUER = PROVIDE_SERVICE_NAME
# Passkeys (WebAuthn): the relying party is the site's domain; a passkey works only on it.
OTP_WEBAUTHN_RP_ID = env_str("PROVIDE_WEBAUTHN_RP_ID", "localhost")
OTP_WEBAUTHN_RP_NAME = PROVIDE_SERVICE_NAME
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("PROVIDE_WEBAUTHN_ORIGINS", ["http://localhost:8000"])
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False  # a passkey is the second factor, never the only one

# Lockout (docs/security.md, "Lockout"; provide.accounts.lockout): failed password sign-ins are
# counted per account and per address; PROVIDE_LOCKOUT_MINUTES=0 keeps a lock until an
# administrator lifts it (`provide unlock-user`).
PROVIDE_LOCKOUT_MINUTES = env_int("PROVIDE_LOCKOUT_MINUTES", default=30, minimum=0)
AXES_ENABLED = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("PROVIDE_LOCKOUT_FAILURES", default=5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=PROVIDE_LOCKOUT_MINUTES) if PROVIDE_LOCKOUT_MINUTES else None
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lock ends when the page says it will
AXES_LOCKOUT_CALLABLE = "provide.accounts.lockout.lockout_response"
AXES_WHITELIST_CALLABLE = "provide.accounts.lockout.is_exempt_from_lockout"
AXES_ENABLE_ADMIN = False  # unlocking goes through provide.accounts.lockout, which audits it
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are in the audit log already
# The address counted is REMOTE_ADDR, unless PROVIDE_PROXY_COUNT reverse proxies stand in front
# and add to X-Forwarded-For (never trusted without them: anyone can send the header).
PROVIDE_PROXY_COUNT = env_int("PROVIDE_PROXY_COUNT", default=0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "provide.accounts.lockout.client_address"

# Idle timeout (docs/security.md, "Idle timeout"; provide.accounts.idle).
PROVIDE_IDLE_MINUTES = env_int("PROVIDE_IDLE_MINUTES", default=30, minimum=1)

# Single sign-on with OpenID Connect (docs/security.md, "Single sign-on"; provide.accounts.oidc):
# on when the issuer, client id and client secret are all set.
PROVIDE_OIDC_ISSUER = env_str("PROVIDE_OIDC_ISSUER", "").strip().rstrip("/")
OIDC_RP_CLIENT_ID = env_str("PROVIDE_OIDC_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = env_secret("PROVIDE_OIDC_CLIENT_SECRET", "")
PROVIDE_OIDC_PROVIDER_NAME = env_str("PROVIDE_OIDC_PROVIDER_NAME", "your organisation's account")
PROVIDE_OIDC_ROLE_CLAIM = env_str("PROVIDE_OIDC_ROLE_CLAIM", "roles")
try:
    PROVIDE_OIDC_ROLE_MAP = json.loads(env_str("PROVIDE_OIDC_ROLE_MAP", "{}"))
except ValueError:
    raise SettingError('PROVIDE_OIDC_ROLE_MAP must be JSON: {"claim value": "role_slug"}') from None
if not isinstance(PROVIDE_OIDC_ROLE_MAP, dict) or not all(
    isinstance(key, str) and isinstance(value, str) for key, value in PROVIDE_OIDC_ROLE_MAP.items()
):
    raise SettingError('PROVIDE_OIDC_ROLE_MAP must be JSON: {"claim value": "role_slug"}')
if _unknown_sso_roles := sorted(set(PROVIDE_OIDC_ROLE_MAP.values()) - set(ROLES_BY_SLUG)):
    raise SettingError(
        f"PROVIDE_OIDC_ROLE_MAP names unknown roles: {', '.join(_unknown_sso_roles)}"
    )
PROVIDE_OIDC_BCU_CLAIM = env_str("PROVIDE_OIDC_BCU_CLAIM", "")
PROVIDE_OIDC_MATCH_EMAIL = env_bool("PROVIDE_OIDC_MATCH_EMAIL", default=False)
PROVIDE_OIDC_CREATE_USERS = env_bool("PROVIDE_OIDC_CREATE_USERS", default=True)
PROVIDE_OIDC_TRUST_IDP_MFA = env_bool("PROVIDE_OIDC_TRUST_IDP_MFA", default=False)
OIDC_RP_SCOPES = env_str("PROVIDE_OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = env_str("PROVIDE_OIDC_SIGN_ALGO", "RS256")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_VERIFY_SSL = True
OIDC_AUTHENTICATE_CLASS = "provide.accounts.oidc_views.SignInRequestView"
OIDC_CALLBACK_CLASS = "provide.accounts.oidc_views.SignInCallbackView"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("PROVIDE_LOG_LEVEL", "WARNING")},
}
