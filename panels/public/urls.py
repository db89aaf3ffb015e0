"""Pages for representatives, reached by signed links in email and SMS (mounted at ``r/``)."""

from django.urls import path

from .views import candidate, consent, feedback, language, my_page, seat, short

urlpatterns = [
    # An SMS's short link (issue 19): no slash, so that the SMS is one character shorter.
    path("k/<str:code>", short.short_link, name="short_link"),
    path("plass/<str:token>/", seat.seat_link, name="seat_link"),
    path("plass/<str:token>/ja/", seat.seat_link_accept, name="seat_link_accept"),
    path("plass/<str:token>/nei/", seat.seat_link_decline, name="seat_link_decline"),
    path(
        "plass/<str:token>/kan-ikke-likevel/",
        seat.seat_link_cant_come,
        name="seat_link_cant_come",
    ),
    path(
        "plass/<str:token>/tilrettelegging/",
        seat.seat_link_support,
        name="seat_link_support",
    ),
    path(
        "plass/<str:token>/taushetserklaering/",
        seat.seat_link_sign,
        name="seat_link_sign",
    ),
    path("plass/<str:token>/inhabil/", seat.seat_link_conflict, name="seat_link_conflict"),
    path("plass/<str:token>/sprak/", language.seat_link_language, name="seat_link_language"),
    # Before the token pattern: a token always holds a ":", so it never reads "slettet".
    path("samtykke/slettet/", consent.consent_deleted, name="consent_deleted"),
    path("samtykke/trukket/", my_page.consent_withdrawn, name="consent_withdrawn"),
    path("samtykke/<str:token>/", consent.consent_link, name="consent_link"),
    path(
        "samtykke/<str:token>/nei/",
        consent.consent_link_decline,
        name="consent_link_decline",
    ),
    path(
        "samtykke/<str:token>/trekk/",
        consent.consent_link_withdraw,
        name="consent_link_withdraw",
    ),
    path(
        "samtykke/<str:token>/sprak/",
        language.consent_link_language,
        name="consent_link_language",
    ),
    path("min-side/<str:token>/", my_page.my_page, name="my_page"),
    path("min-side/<str:token>/sprak/", language.my_page_language, name="my_page_language"),
    # Before the seat-token pattern: a token always holds a ":", so it never reads "intervjuer".
    path(
        "tilbakemelding/intervjuer/<str:token>/",
        feedback.staff_feedback_link,
        name="staff_feedback_link",
    ),
    path("tilbakemelding/<str:token>/", feedback.feedback_link, name="feedback_link"),
    # The candidates' questionnaire: a short code from the day plan, not a signed token.
    path("s/<str:code>/", candidate.candidate_survey, name="candidate_survey"),
]
