"""The project's URLs plus views that fail on purpose, for tests/test_error_pages.py."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from navpanel.urls import (  # noqa: F401 (Django reads the handlers from the URLconf)
    handler400,
    handler403,
    handler404,
    handler500,
)
from navpanel.urls import urlpatterns as project_urlpatterns


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def refuses(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def bad(request: HttpRequest) -> HttpResponse:
    raise BadRequest


urlpatterns = [
    path("test-errors/fails/", fails),
    path("test-errors/refuses/", refuses),
    path("test-errors/bad/", bad),
    path("r/test-errors/fails/", fails),
    *project_urlpatterns,
]
