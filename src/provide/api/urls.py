from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from provide.api import views

app_name = "api"

router = DefaultRouter()
router.register("people", views.PersonViewSet, basename="person")
router.register("investigations", views.InvestigationViewSet, basename="investigation")
router.register("support-records", views.SupportRecordViewSet, basename="support-record")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include(router.urls)),
]
