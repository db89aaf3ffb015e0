"""The project's URLs plus ``/bench/floor/``: the base template rendered with no query.

The floor is what Django, the middleware and the base template cost on this machine; every
page's latency is read beside it (bench/latency.py).
"""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from navpanel.urls import urlpatterns as project_urlpatterns

FLOOR = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<h1>Floor</h1>{% endblock %}'
)


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(FLOOR.render({}, request))


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *project_urlpatterns]
