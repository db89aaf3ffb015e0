"""The candidates' anonymous questionnaire (issue 18, point 5): no name, no sign-in, one
answer per code. Opening the page changes nothing; the answer is the form's POST."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from ... import candidate_voice
from ...models import CANDIDATE_QUESTIONS, CandidateSurveyCode
from ..forms import CandidateAnswerForm


@require_http_methods(["GET", "POST"])
def candidate_survey(request: HttpRequest, code: str) -> HttpResponse:
    found = candidate_voice.survey_code_find(code)
    if found is None:
        response = render(request, "panels/public/candidate_survey_unknown.html", status=404)
    else:
        response = _survey_page(request, found)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


def _survey_page(request: HttpRequest, code: CandidateSurveyCode) -> HttpResponse:
    # Bound on any POST: an empty one (nothing ticked) is an answer of nothing, not a GET.
    form = CandidateAnswerForm(request.POST if request.method == "POST" else None)
    nothing = False
    if request.method == "POST" and code.used_at is None and form.is_valid():
        answers = {question: form.cleaned_data[question] for question in CANDIDATE_QUESTIONS}
        if any(answers.values()):
            candidate_voice.candidate_answer_give(code=code, answers=answers)
            return redirect(f"{request.path}?takk=1#status")
        nothing = True
    return render(
        request,
        "panels/public/candidate_survey.html",
        {
            "office": code.panel.round.office,
            "already": code.used_at is not None,
            "thanks": code.used_at is not None and request.GET.get("takk") == "1",
            "nothing": nothing,
            "form": form,
        },
    )
