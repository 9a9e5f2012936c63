from django.urls import path

from forums import views

app_name = "forums"

urlpatterns = [
    path("forums/", views.forum_list, name="forum-list"),
    path("forums/ideas/", views.idea_list, name="idea-list"),
    path("forums/ideas/new/", views.idea_create, name="idea-create"),
    path("forums/ideas/<int:pk>/", views.idea_detail, name="idea-detail"),
    path("forums/ideas/<int:pk>/respond/", views.idea_respond, name="idea-respond"),
    path("forums/ideas/<int:pk>/vote/", views.idea_vote, name="idea-vote"),
    path(
        "forums/ideas/<int:pk>/unvote/",
        views.idea_vote,
        {"withdraw": True},
        name="idea-unvote",
    ),
    path("forums/voting/<int:pk>/", views.voting_detail, name="voting-detail"),
    path(
        "forums/registrations/<int:pk>/cancel/",
        views.registration_cancel,
        name="registration-cancel",
    ),
    path("forums/<slug:forum>/", views.forum_detail, name="forum-detail"),
    path("forums/<slug:forum>/<slug:meeting>/", views.meeting_detail, name="meeting-detail"),
    path(
        "forums/<slug:forum>/<slug:meeting>/register/",
        views.meeting_register,
        name="meeting-register",
    ),
    path(
        "forums/<slug:forum>/<slug:meeting>/summary/",
        views.meeting_summary,
        name="meeting-summary",
    ),
    path(
        "forums/<slug:forum>/<slug:meeting>/workshop/<int:group>/",
        views.workshop_answers,
        name="workshop-answers",
    ),
    path(
        "forums/<slug:forum>/<slug:meeting>/attendees/",
        views.meeting_attendees,
        name="meeting-attendees",
    ),
    path(
        "forums/<slug:forum>/<slug:meeting>/attendees.csv",
        views.meeting_attendees_csv,
        name="meeting-attendees-csv",
    ),
    path(
        "forums/<slug:forum>/<slug:meeting>/invite/",
        views.meeting_invite,
        name="meeting-invite",
    ),
]
