from django.urls import path

from . import views

urlpatterns = [
    path("brukerrepresentanter/", views.representative_list, name="representative_list"),
    path(
        "brukerrepresentanter/ny/",
        views.representative_create,
        name="representative_create",
    ),
    path(
        "brukerrepresentanter/import/",
        views.representative_import,
        name="representative_import",
    ),
    path(
        "brukerrepresentanter/import/<uuid:pk>/",
        views.representative_import_job,
        name="representative_import_job",
    ),
    path(
        "brukerrepresentanter/eksport.csv",
        views.representative_export,
        name="representative_export",
    ),
    path(
        "brukerrepresentanter/<int:pk>/",
        views.representative_detail,
        name="representative_detail",
    ),
    path(
        "brukerrepresentanter/<int:pk>/send-lenke/",
        views.representative_link_resend,
        name="representative_link_resend",
    ),
    path(
        "brukerrepresentanter/<int:pk>/endre/",
        views.representative_edit,
        name="representative_edit",
    ),
]
