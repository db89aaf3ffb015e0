from django.urls import path

from . import views

urlpatterns = [
    path("", views.roster, name="roster"),
    path("eksport/csv/", views.roster_export_csv, name="roster_export_csv"),
    path("eksport/xlsx/", views.roster_export_xlsx, name="roster_export_xlsx"),
    path("eksport/<uuid:pk>/", views.roster_export_job, name="roster_export_job"),
    path("eksport/<uuid:pk>/fil/", views.roster_export_download, name="roster_export_download"),
]
