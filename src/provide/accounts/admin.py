from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from provide.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "agency", "bcu", "is_active")
    list_filter = ("agency", "groups", "is_active")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Provide", {"fields": ("agency", "bcu")}),
    )
