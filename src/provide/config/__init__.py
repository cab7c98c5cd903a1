"""Settings, URLs, the WSGI entry point and the Celery application of Provide."""

from provide.config.celery import app as celery_app

__all__ = ["celery_app"]
