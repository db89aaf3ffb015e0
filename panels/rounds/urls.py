from django.urls import path

from . import views

urlpatterns = [
    path("kontor/velg/", views.office_choose, name="office_choose"),
    path("runder/", views.round_list, name="round_list"),
    path("runder/ny/", views.round_create, name="round_create"),
    path("runder/<int:pk>/", views.round_detail, name="round_detail"),
    path("runder/<int:pk>/endre/", views.round_edit, name="round_edit"),
    path("runder/<int:pk>/status/", views.round_change_state, name="round_change_state"),
    path("runder/<int:pk>/slett/", views.round_delete, name="round_delete"),
    path("runder/<int:pk>/sokere/", views.candidates_add, name="candidates_add"),
    path("sokere/<int:pk>/fjern/", views.candidate_remove, name="candidate_remove"),
    path(
        "runder/<int:pk>/intervjudager/ny/",
        views.interview_day_create,
        name="interview_day_create",
    ),
    path(
        "runder/<int:pk>/intervjudager/<str:day>/avlys/",
        views.interview_day_cancel,
        name="interview_day_cancel",
    ),
    path("intervjuer/<int:pk>/flytt/", views.interview_move, name="interview_move"),
    path("intervjuer/<int:pk>/avlys/", views.interview_cancel, name="interview_cancel"),
]
