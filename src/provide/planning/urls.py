from django.urls import path

from provide.planning import views

app_name = "planning"

urlpatterns = [
    path("", views.index, name="index"),
    path("today/", views.my_shift, name="my-shift"),
    path("run/", views.plan_run_view, name="plan-run"),
    path("jobs/<uuid:job_id>/", views.plan_job, name="plan-job"),
    path("shifts/<uuid:shift_id>/", views.shift_plan, name="shift-plan"),
    path("shifts/<uuid:shift_id>/run-sheet/", views.run_sheet, name="run-sheet"),
    path("shifts/<uuid:shift_id>/live/", views.live_incident, name="live-incident"),
    path("shifts/<uuid:shift_id>/stops/<uuid:stop_id>/move/", views.stop_move, name="stop-move"),
    path("shifts/<uuid:shift_id>/stops/<uuid:stop_id>/pin/", views.stop_pin, name="stop-pin"),
]
