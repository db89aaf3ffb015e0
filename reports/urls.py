from django.urls import path

from . import views

urlpatterns = [
    path("honorar/", views.honoraria, name="honoraria"),
    path("honorar/reise/<int:pk>/", views.travel_claim, name="seat_travel_claim"),
    path("honorar/reisekrav/<int:pk>/endre/", views.travel_claim_edit, name="travel_claim_edit"),
    path(
        "honorar/reisekrav/<int:pk>/slett/", views.travel_claim_delete, name="travel_claim_delete"
    ),
    path("statistikk/", views.statistics, name="statistics"),
    path("sokernes-stemme/", views.candidate_voice, name="candidate_voice"),
]
