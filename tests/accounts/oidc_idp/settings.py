"""Settings of the test identity provider (a separate Django project, never Provide's).

Read from the environment the test sets when it starts the process:
``IDP_SITE_URL`` (http://127.0.0.1:<port>), ``IDP_DATABASE`` (a SQLite file) and
``IDP_CLAIMS_FILE`` (a JSON file of each user's extra claims, read on every request so a
test can change a user's role between two sign-ins).
"""

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent

SECRET_KEY = "test-identity-provider-only-" + "y" * 40  # a throwaway test server
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SITE_URL = os.environ.get("IDP_SITE_URL", "http://127.0.0.1:8765")
IDP_CLAIMS_FILE = os.environ.get("IDP_CLAIMS_FILE", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.accounts.oidc_idp.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    },
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("IDP_DATABASE", str(HERE / "idp.sqlite3")),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "/accounts/login/"
# Provide runs on "localhost" in the browser test and this provider on 127.0.0.1, but name the
# cookies apart as well, so the two sites' sessions can never be confused.
SESSION_COOKIE_NAME = "idp_sessionid"
CSRF_COOKIE_NAME = "idp_csrftoken"

OIDC_USERINFO = "tests.accounts.oidc_idp.claims.userinfo"
OIDC_EXTRA_SCOPE_CLAIMS = "tests.accounts.oidc_idp.claims.ProvideScopeClaims"
OIDC_IDTOKEN_PROCESSING_HOOK = "tests.accounts.oidc_idp.claims.id_token_hook"
