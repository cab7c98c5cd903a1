from django.urls import path

from provide.intake import views

app_name = "intake"

urlpatterns = [
    path("import/", views.import_upload, name="import-upload"),
    path("import/<uuid:import_id>/", views.import_preview, name="import-preview"),
    path("investigations/<uuid:investigation_id>/risk/", views.risk_assessment_new, name="risk-assessment-new"),
    path("people/matches/", views.match_list, name="match-list"),
    path("people/matches/<uuid:match_id>/", views.match_decide, name="match-decide"),
    path("people/<uuid:person_id>/safe-contact/", views.person_safe_contact, name="person-safe-contact"),
    path("people/<uuid:person_id>/merges/", views.person_merges, name="person-merges"),
    path("merges/<uuid:merge_id>/undo/", views.merge_undo, name="merge-undo"),
]
