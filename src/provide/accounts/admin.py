from typing import TYPE_CHECKING

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from provide.accounts.models import User

if TYPE_CHECKING:
    _UserAdminBase = DjangoUserAdmin[User]
else:
    _UserAdminBase = DjangoUserAdmin


@admin.register(User)
class UserAdmin(_UserAdminBase):
    list_display = ("username", "first_name", "last_name", "agency", "bcu", "is_active")
    list_filter = ("agency", "groups", "is_active")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Provide", {"fields": ("agency", "bcu")}),
    )
