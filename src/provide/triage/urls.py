from django.urls import path

from provide.triage import views

app_name = "triage"

urlpatterns = [
    path("", views.board, name="board"),
    path("cases/<uuid:investigation_id>/decide/", views.case_decide, name="case-decide"),
    path("policy/", views.policy_list, name="policy-list"),
    path("policy/new/", views.policy_edit, name="policy-edit"),
    path("stale/", views.stale, name="stale"),
    path("handover/", views.handover, name="handover"),
]
