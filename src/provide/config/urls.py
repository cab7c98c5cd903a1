from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Provide administration"
admin.site.site_title = "Provide"

urlpatterns = [
    path("", include("provide.web.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("provide.api.urls")),
]
