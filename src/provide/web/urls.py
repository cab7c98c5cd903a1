from django.urls import path

from provide.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("service-worker.js", views.service_worker, name="service-worker"),
    path("offline/", views.offline, name="offline"),
    path("session/", views.session_state, name="session-state"),
    path(
        "investigations/<uuid:investigation_id>/",
        views.investigation_detail,
        name="investigation-detail",
    ),
]
