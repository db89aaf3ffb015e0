from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import health, pages

admin.site.site_header = _("navpanel administration")
admin.site.site_title = _("navpanel administration")
# The admin signs in through allauth, with its rate limits and two-factor step, never through
# Django's own password form.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("internal/isalive", health.isalive, name="isalive"),
    path("internal/isready", health.isready, name="isready"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("allauth.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("r/", include("panels.public.urls")),
    path("tilgjengelighet/", pages.accessibility_statement, name="accessibility_statement"),
    path("", include("audit.urls")),
    path("hr/", include("reports.urls")),
    path("hr/", include("rosters.urls")),
    path("api/v1/", include("rosters.api_urls")),
    path("", include("panels.urls")),
    path("", include("panels.rounds.urls")),
]

if settings.DEBUG:
    # Every email the development server sent, readable in the browser (superusers only).
    urlpatterns += [path("internal/mail/", include("outbox.urls"))]

# Error pages in NAV's look and the user's language (issue 18, point 8).
handler400 = "navpanel.errors.bad_request"
handler403 = "navpanel.errors.permission_denied"
handler404 = "navpanel.errors.page_not_found"
handler500 = "navpanel.errors.server_error"
