"""Settings for the test suite: the real settings with a fixed key and a fast hasher."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret-" + "x" * 40)
os.environ.setdefault("PROVIDE_INSECURE_COOKIES", "true")

from provide.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
# django-axes stays on; only Django's test client login(), which has no request, is let past it.
AUTHENTICATION_BACKENDS = [
    "tests.lockout_backend.TestClientLockoutBackend",
    *AUTHENTICATION_BACKENDS[1:],  # noqa: F405
]
# Tests sign in with force_login; the second factor's own tests switch enforcement on.
PROVIDE_MFA_ENFORCE = False
