from django.urls import path

from . import views

urlpatterns = [
    path("revisjon/", views.audit_log, name="audit_log"),
]
