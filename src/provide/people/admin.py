from django.contrib import admin

from provide.audit.admin_mixins import AuditedModelAdmin
from provide.people.models import Person


@admin.register(Person)
class PersonAdmin(AuditedModelAdmin):
    list_display = ("__str__", "force_person_ref", "postcode", "synthetic")
    list_filter = ("synthetic", "sex")
    search_fields = ("family_name", "given_name", "force_person_ref", "postcode")
    readonly_fields = ("public_id", "pseudonym")
