"""Pages that belong to the service rather than to one app."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# The date the statement was last reviewed against the service (DOMAIN: public bodies state it).
STATEMENT_UPDATED = "2026-11-23"


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (tilgjengelighetserklæring), open to everyone."""
    return render(request, "accessibility.html", {"updated": STATEMENT_UPDATED})
