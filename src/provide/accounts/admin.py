"""Django admin for users, locked down: no back door around the user-management pages.

Roles (groups), single permissions, superuser and staff status and the agency are read-only
here: roles are given on the user-management page (``/accounts/users/``), and a health role
only through a request an IDVA manager approves. Nobody can be deleted (deactivate instead),
the password of a health-role user, of a user with a health-role request waiting, or of a
superuser cannot be set here, and every change made here is audited with the actor, the user
and the fields before and after.
"""

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from provide.accounts.models import HealthRoleGrantRequest, User
from provide.accounts.policies import is_health_role
from provide.accounts.services import user_snapshot
from provide.audit.models import AuditAction
from provide.audit.services import audit_record, changed_fields

if TYPE_CHECKING:
    _UserAdminBase = DjangoUserAdmin[User]
else:
    _UserAdminBase = DjangoUserAdmin

LOCKED_FIELDS = (
    "is_superuser",
    "is_staff",
    "groups",
    "user_permissions",
    "agency",
    "last_login",
    "date_joined",
)
"""Shown but never editable in the admin, whoever is signed in (superusers included)."""


def password_protected(user: User) -> bool:
    """Whether the admin refuses to set this user's password: holding a health role, waiting
    for one, or a superuser (whoever set it could sign in as them)."""
    return bool(
        user.is_superuser
        or is_health_role(user)
        or HealthRoleGrantRequest.objects.filter(
            user=user, status=HealthRoleGrantRequest.Status.PENDING
        ).exists()
    )


@admin.register(User)
class UserAdmin(_UserAdminBase):
    list_display = ("username", "first_name", "last_name", "agency", "bcu", "is_active")
    list_filter = ("agency", "groups", "is_active")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Provide", {"fields": ("agency", "bcu")}),
    )
    readonly_fields = LOCKED_FIELDS
    filter_horizontal = ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        before = user_snapshot(User.objects.select_related("bcu").get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        after = user_snapshot(User.objects.select_related("bcu").get(pk=obj.pk))
        if change:
            changes = changed_fields(before, after)
            if changes:
                audit_record(
                    actor=request.user,
                    action=AuditAction.UPDATE,
                    event="accounts.user_updated_in_admin",
                    subject=obj,
                    changes=changes,
                )
            return
        audit_record(
            actor=request.user,
            action=AuditAction.CREATE,
            event="accounts.user_created_in_admin",
            subject=obj,
            changes={
                **{
                    key: [None, value]
                    for key, value in after.items()
                    if value not in ("", None, False)
                },
                "password_set": obj.has_usable_password(),
            },
        )

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        user = self.get_object(request, unquote(id))
        if user is not None and password_protected(user):
            raise PermissionDenied
        before = user.password if user is not None else ""
        response = super().user_change_password(request, id, form_url)
        if user is not None and request.method == "POST":
            user.refresh_from_db(fields=["password"])
            if user.password != before:
                audit_record(
                    actor=request.user,
                    action=AuditAction.UPDATE,
                    event="accounts.password_set_in_admin",
                    subject=user,
                    flagged=True,
                    changes={"password": "set" if user.has_usable_password() else "disabled"},
                )
        return response
