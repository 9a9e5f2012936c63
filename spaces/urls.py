from django.urls import path

from spaces import views

app_name = "spaces"

urlpatterns = [
    path("spaces/", views.space_list, name="space-list"),
]
