from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Provide administration"
admin.site.site_title = "Provide"

urlpatterns = [
    path("", include("provide.web.urls")),
    path("accounts/", include("provide.accounts.urls")),
    path("oidc/", include("mozilla_django_oidc.urls")),  # single sign-on (provide.accounts.oidc)
    path("people/", include("provide.people.urls")),
    path("audit/", include("provide.audit.urls")),
    path("intake/", include("provide.intake.urls")),
    path("cases/", include("provide.cases.urls")),
    path("triage/", include("provide.triage.urls")),
    path("planning/", include("provide.planning.urls")),
    path("rota/", include("provide.rota.urls")),
    path("visits/", include("provide.visits.urls")),
    path("health/", include("provide.health.urls")),
    path("safeguarding/", include("provide.safeguarding.urls")),
    path("evaluation/", include("provide.evaluation.urls")),
    path("retention/", include("provide.retention.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("provide.api.urls")),
]
