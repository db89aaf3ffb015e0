from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import health

admin.site.site_header = _("navpanel administration")
admin.site.site_title = _("navpanel administration")

urlpatterns = [
    path("internal/isalive", health.isalive, name="isalive"),
    path("internal/isready", health.isready, name="isready"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("allauth.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("r/", include("panels.public_urls")),
    path("", include("panels.urls")),
    path("", include("interviews.urls")),
]

if settings.DEBUG:
    # Every email the development server sent, readable in the browser (superusers only).
    urlpatterns += [path("internal/mail/", include("outbox.urls"))]
