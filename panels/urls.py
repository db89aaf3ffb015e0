"""The leader's pages: the dashboard, the pool (``panels.pool.urls``) and the panels."""

from django.urls import include, path

from .day import views as day_views
from .views import dashboard, panel, seat

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("", include("panels.pool.urls")),
    path("runder/<int:round_pk>/paneler/ny/", panel.panel_create, name="panel_create"),
    path("paneler/<int:pk>/", panel.panel_detail, name="panel_detail"),
    path("paneler/<int:pk>/dagsplan/", day_views.panel_day_plan_view, name="panel_day_plan"),
    path("intervjudager/", day_views.agenda, name="agenda"),
    path("paneler/<int:pk>/plasser/", panel.panel_seats, name="panel_seats"),
    path("paneler/<int:pk>/inviter/", panel.panel_invite, name="panel_invite"),
    path("paneler/<int:pk>/avlys/", panel.panel_cancel, name="panel_cancel"),
    path("paneler/<int:pk>/flytt/", panel.panel_move, name="panel_move"),
    path("plasser/<int:pk>/avlys/", seat.seat_cancel, name="seat_cancel"),
    path("plasser/<int:pk>/telefonsvar/", seat.seat_phone_answer, name="seat_phone_answer"),
    path("plasser/<int:pk>/oppmote/", seat.seat_attendance, name="seat_attendance"),
    path(
        "plasser/<int:pk>/oppmote/rett/",
        seat.seat_attendance_correct,
        name="seat_attendance_correct",
    ),
]
