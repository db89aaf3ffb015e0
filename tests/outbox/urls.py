"""The project's URLs plus the development mail page, as navpanel/urls.py has them with DEBUG."""

from django.urls import include, path

from navpanel.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("internal/mail/", include("outbox.urls")),
    *project_urlpatterns,
]
