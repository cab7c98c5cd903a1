"""WSGI entry point for production servers."""

import os

from django.core.wsgi import get_wsgi_application

from provide.shared.files import restrict_new_files

restrict_new_files()  # the database and uploads the server writes are its user's alone
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "provide.config.settings")
application = get_wsgi_application()
