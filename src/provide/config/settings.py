"""Provide's one settings file, driven by environment variables (see ``.env.example``).

Secure by default: DEBUG is off unless ``DJANGO_DEBUG`` says otherwise, the secret key must be
given, and cookies are secure unless ``PROVIDE_INSECURE_COOKIES`` is set for local HTTP use.
"""

from __future__ import annotations

from pathlib import Path

from provide.config.env import (
    env_bool,
    env_database_url,
    env_int,
    env_list,
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

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "provide.areas",
    "provide.accounts",
    "provide.audit",
    "provide.people",
    "provide.intake",
    "provide.cases",
    "provide.triage",
    "provide.planning",
    "provide.visits",
    "provide.health",
    "provide.safeguarding",
    "provide.evaluation",
    "provide.demo",
    "provide.web",
    "provide.api",
    "provide.config",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
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
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
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
}

CELERY_BROKER_URL = env_str("PROVIDE_REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_ALWAYS_EAGER = env_bool("PROVIDE_TASKS_EAGER", default=True)

PROVIDE_SERVICE_NAME = "Provide"
PROVIDE_SHOW_SYNTHETIC_BANNER = env_bool("PROVIDE_SYNTHETIC_BANNER", default=True)
# Largest file the importers accept, in MB (a four-year force extract is about 40 MB).
PROVIDE_IMPORT_MAX_MB = env_int("PROVIDE_IMPORT_MAX_MB", default=100, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("PROVIDE_LOG_LEVEL", "WARNING")},
}
