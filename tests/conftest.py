"""Loads the Django cast (tests/cast.py) when Django is configured, so the pure-core tests
also run on their own with ``-p no:django``."""

import contextlib

from django.core.exceptions import ImproperlyConfigured

with contextlib.suppress(ImproperlyConfigured):
    from tests.cast import *  # noqa: F403
