"""Pages for representatives, reached by signed links in email (mounted at ``r/``)."""

from django.urls import path

from . import public_views

urlpatterns = [
    path("plass/<str:token>/", public_views.seat_link, name="seat_link"),
    path("plass/<str:token>/ja/", public_views.seat_link_accept, name="seat_link_accept"),
    path("plass/<str:token>/nei/", public_views.seat_link_decline, name="seat_link_decline"),
    path(
        "plass/<str:token>/tilrettelegging/",
        public_views.seat_link_support,
        name="seat_link_support",
    ),
    path(
        "plass/<str:token>/taushetserklaering/",
        public_views.seat_link_sign,
        name="seat_link_sign",
    ),
    path("plass/<str:token>/inhabil/", public_views.seat_link_conflict, name="seat_link_conflict"),
    # Before the token pattern: a token always holds a ":", so it never reads "slettet".
    path("samtykke/slettet/", public_views.consent_deleted, name="consent_deleted"),
    path("samtykke/<str:token>/", public_views.consent_link, name="consent_link"),
    path(
        "samtykke/<str:token>/nei/",
        public_views.consent_link_decline,
        name="consent_link_decline",
    ),
    path("min-side/<str:token>/", public_views.my_page, name="my_page"),
    # Before the seat-token pattern: a token always holds a ":", so it never reads "intervjuer".
    path(
        "tilbakemelding/intervjuer/<str:token>/",
        public_views.staff_feedback_link,
        name="staff_feedback_link",
    ),
    path("tilbakemelding/<str:token>/", public_views.feedback_link, name="feedback_link"),
]
