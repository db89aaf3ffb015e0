"""The leader's pages: the dashboard, the pool (``panels.pool.urls``) and the panels."""

from django.urls import include, path

from . import views
from .day import views as day_views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("", include("panels.pool.urls")),
    path("runder/<int:round_pk>/paneler/ny/", views.panel_create, name="panel_create"),
    path("paneler/<int:pk>/", views.panel_detail, name="panel_detail"),
    path("paneler/<int:pk>/dagsplan/", day_views.panel_day_plan_view, name="panel_day_plan"),
    path("intervjudager/", day_views.agenda, name="agenda"),
    path("paneler/<int:pk>/plasser/", views.panel_seats, name="panel_seats"),
    path("paneler/<int:pk>/inviter/", views.panel_invite, name="panel_invite"),
    path("paneler/<int:pk>/avlys/", views.panel_cancel, name="panel_cancel"),
    path("paneler/<int:pk>/flytt/", views.panel_move, name="panel_move"),
    path("plasser/<int:pk>/avlys/", views.seat_cancel, name="seat_cancel"),
    path("plasser/<int:pk>/telefonsvar/", views.seat_phone_answer, name="seat_phone_answer"),
    path("plasser/<int:pk>/oppmote/", views.seat_attendance, name="seat_attendance"),
    path(
        "plasser/<int:pk>/oppmote/rett/",
        views.seat_attendance_correct,
        name="seat_attendance_correct",
    ),
]
