"""A tiny, real OpenID Connect provider for the single sign-on tests.

It is a Django project of its own (django-oidc-provider over Django's auth), with its own
settings, URLs and SQLite database, started as a subprocess by :mod:`.process`. Nothing in
Provide imports it.
"""
