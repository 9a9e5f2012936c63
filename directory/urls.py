from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation-list"),
]
