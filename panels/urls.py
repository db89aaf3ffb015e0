from django.urls import include, path

from . import dashboard_views

urlpatterns = [
    path("", dashboard_views.dashboard, name="dashboard"),
    path("", include("panels.pool_urls")),
    path("", include("panels.panel_urls")),
]
