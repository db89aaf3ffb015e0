from django.urls import path

from . import pool_views

urlpatterns = [
    path("brukerrepresentanter/", pool_views.representative_list, name="representative_list"),
    path(
        "brukerrepresentanter/ny/",
        pool_views.representative_create,
        name="representative_create",
    ),
    path(
        "brukerrepresentanter/import/",
        pool_views.representative_import,
        name="representative_import",
    ),
    path(
        "brukerrepresentanter/eksport.csv",
        pool_views.representative_export,
        name="representative_export",
    ),
    path(
        "brukerrepresentanter/<int:pk>/",
        pool_views.representative_detail,
        name="representative_detail",
    ),
    path(
        "brukerrepresentanter/<int:pk>/endre/",
        pool_views.representative_edit,
        name="representative_edit",
    ),
]
