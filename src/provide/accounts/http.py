"""The request type of a signed-in page.

``@login_required`` lets only signed-in users through, so a view it decorates takes an
:class:`AuthenticatedRequest`, whose ``user`` is a :class:`~provide.accounts.models.User`,
never the anonymous user. An API view passes DRF's ``request.user`` through
:func:`signed_in_user`. Both live here, not in ``shared``, because they name the user model.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from provide.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request whose user has signed in (for type checking; Django builds a plain HttpRequest)."""

    user: User


def signed_in_user(user: User | AnonymousUser) -> User:
    """The user of an API request, which ``IsAuthenticated`` (the API's default) has let through."""
    if isinstance(user, User):
        return user
    raise PermissionDenied
