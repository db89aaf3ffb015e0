"""The feedback forms after an interview day, for representatives and staff interviewers."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ... import feedback, links
from ...models import (
    FEEDBACK_QUESTIONS,
    Panel,
    Seat,
    StaffInterviewer,
)
from ..forms import (
    FeedbackForm,
)
from .decorators import link_page, speak_to

# Feedback ----------------------------------------------------------------------------------------


def _feedback_page(
    request: HttpRequest,
    *,
    panel: Panel,
    seat: Seat | None = None,
    staff: StaffInterviewer | None = None,
    language_url: str = "",
) -> HttpResponse:
    closed = feedback.feedback_closed_reason(panel=panel, seat=seat)
    already = not closed and feedback.feedback_given(seat=seat, staff=staff)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and not closed and not already and form.is_valid():
        feedback.feedback_submit(
            panel=panel,
            seat=seat,
            staff=staff,
            ratings={question: form.cleaned_data[question] for question in FEEDBACK_QUESTIONS},
            comment=form.cleaned_data["comment"],
        )
        return redirect(f"{request.path}?done=1#status")
    return render(
        request,
        "panels/public/feedback.html",
        {
            "panel": panel,
            "round": panel.round,
            "office": panel.round.office,
            "closed": closed,
            "already": already,
            "thanks": already and request.GET.get("done") == "1",
            "form": form,
            "staff": staff,
            "language_url": language_url,
        },
    )


@require_http_methods(["GET", "POST"])
@link_page
def feedback_link(request: HttpRequest, token: str) -> HttpResponse:
    seat = links.seat_from_token(token)
    speak_to(request, seat.holder())
    return _feedback_page(
        request,
        panel=seat.panel,
        seat=seat,
        language_url=reverse("seat_link_language", args=[token]),
    )


@require_http_methods(["GET", "POST"])
@link_page
def staff_feedback_link(request: HttpRequest, token: str) -> HttpResponse:
    staff = links.staff_interviewer_from_token(token)
    return _feedback_page(request, panel=staff.panel, staff=staff)
