from django.urls import path

from provide.safeguarding import views

app_name = "safeguarding"

urlpatterns = [
    path("", views.referral_list, name="referral-list"),
    path("referrals/new/", views.referral_create, name="referral-create"),
    path("referrals/<uuid:referral_id>/", views.referral_detail, name="referral-detail"),
    path("referrals/<uuid:referral_id>/edit/", views.referral_edit, name="referral-edit"),
    path("referrals/<uuid:referral_id>/<slug:move>/", views.referral_move, name="referral-move"),
    path(
        "referrals/<uuid:referral_id>/marac-referral.pdf", views.referral_pdf, name="referral-pdf"
    ),
    path("marac/", views.marac_day, name="marac-day"),
    path("marac/list/", views.marac_list_case, name="marac-list-case"),
    path("marac/cases/<uuid:case_id>/", views.marac_case_detail, name="marac-case"),
    path("marac/cases/<uuid:case_id>/minutes/", views.marac_minutes, name="marac-minutes"),
    path("marac/actions/<uuid:action_id>/done/", views.marac_action_done, name="marac-action-done"),
    path("measures/", views.measure_list, name="measure-list"),
    path("measures/new/", views.measure_create, name="measure-create"),
    path("measures/<uuid:measure_id>/end/", views.measure_end, name="measure-end"),
    path("handover/", views.handover_list, name="handover-list"),
    path("handover/new/", views.handover_create, name="handover-create"),
    path("handover/<uuid:task_id>/status/", views.handover_status, name="handover-status"),
]
