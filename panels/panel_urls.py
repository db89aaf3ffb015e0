from django.urls import path

from . import panel_views

urlpatterns = [
    path("runder/<int:round_pk>/paneler/ny/", panel_views.panel_create, name="panel_create"),
    path("paneler/<int:pk>/", panel_views.panel_detail, name="panel_detail"),
    path("paneler/<int:pk>/plasser/", panel_views.panel_seats, name="panel_seats"),
    path("paneler/<int:pk>/inviter/", panel_views.panel_invite, name="panel_invite"),
    path("paneler/<int:pk>/avlys/", panel_views.panel_cancel, name="panel_cancel"),
    path("plasser/<int:pk>/avlys/", panel_views.seat_cancel, name="seat_cancel"),
    path("plasser/<int:pk>/oppmote/", panel_views.seat_attendance, name="seat_attendance"),
]
