from django.urls import path

from . import views

urlpatterns = [
    path("kontor/velg/", views.office_choose, name="office_choose"),
    path("runder/", views.round_list, name="round_list"),
    path("runder/ny/", views.round_create, name="round_create"),
    path("runder/<int:pk>/", views.round_detail, name="round_detail"),
    path("runder/<int:pk>/endre/", views.round_edit, name="round_edit"),
    path("runder/<int:pk>/status/", views.round_change_state, name="round_change_state"),
]
