from django.urls import path

from forums import views

app_name = "forums"

urlpatterns = [
    path("forums/", views.forum_list, name="forum-list"),
]
