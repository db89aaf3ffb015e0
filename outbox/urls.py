"""Development only: included by navpanel/urls.py when DEBUG is on."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.mail_list, name="outbox_mail_list"),
    path("<int:pk>/", views.mail_detail, name="outbox_mail_detail"),
]
