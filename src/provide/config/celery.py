"""The Celery application: background jobs (planning, the nightly retention run).

Settings come from Django's, under ``CELERY_``: ``PROVIDE_REDIS_URL`` is the broker and
``PROVIDE_TASKS_EAGER`` (on by default, and in tests) runs every job inline in the process that
asks for it, so development needs no worker. In production turn it off and run a worker:
``celery -A provide.config.celery worker``.
"""

from __future__ import annotations

import os

from celery import Celery  # type: ignore[import-untyped]

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "provide.config.settings")

app = Celery("provide")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
