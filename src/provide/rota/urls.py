from django.urls import path

from provide.rota import views

app_name = "rota"

urlpatterns = [
    path("", views.index, name="index"),
    path("shifts/new/", views.shift_new, name="shift-create"),
    path("shifts/<uuid:shift_id>/staff/", views.shift_staff, name="shift-staff"),
    path("absences/new/", views.absence_new, name="absence-record"),
    path("absences/<uuid:absence_id>/cancel/", views.absence_cancel, name="absence-cancel"),
    path("staff/<uuid:staff_id>/", views.staff_skills, name="staff-skills"),
    path("copy-week/", views.week_copy, name="week-copy"),
]
