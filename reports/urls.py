from django.urls import path

from . import views

urlpatterns = [
    path("honorar/", views.honoraria, name="honoraria"),
    path("honorar/reise/<int:pk>/", views.travel_claim, name="seat_travel_claim"),
    path("statistikk/", views.statistics, name="statistics"),
]
