from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/register/", views.organisation_register, name="organisation-register"),
    path("organisations/mine/", views.organisation_mine, name="organisation-mine"),
    path(
        "organisations/confirm/<str:token>/",
        views.freshness_confirm,
        name="freshness-confirm",
    ),
    path(
        "organisations/invitations/<str:token>/",
        views.invitation_accept,
        name="invitation-accept",
    ),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation-detail"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation-edit"),
    path(
        "organisations/<slug:slug>/confirm/",
        views.organisation_confirm,
        name="organisation-confirm",
    ),
    path(
        "organisations/<slug:slug>/contacts/",
        views.contact_persons_edit,
        name="contact-persons-edit",
    ),
    path("organisations/<slug:slug>/join/", views.join_request_create, name="join-request"),
    path("organisations/<slug:slug>/leave/", views.member_leave, name="member-leave"),
    path("organisations/<slug:slug>/members/", views.member_list, name="member-list"),
    path("organisations/<slug:slug>/members/invite/", views.member_invite, name="member-invite"),
    path(
        "organisations/<slug:slug>/members/<int:pk>/role/",
        views.member_role,
        name="member-role",
    ),
    path(
        "organisations/<slug:slug>/members/<int:pk>/remove/",
        views.member_remove,
        name="member-remove",
    ),
    path(
        "organisations/<slug:slug>/members/<int:pk>/hand-over/",
        views.member_hand_over,
        name="member-hand-over",
    ),
    path(
        "organisations/<slug:slug>/invitations/<int:pk>/cancel/",
        views.invitation_cancel,
        name="invitation-cancel",
    ),
    path(
        "organisations/<slug:slug>/requests/<int:pk>/",
        views.join_request_decide,
        name="join-request-decide",
    ),
    path(
        "organisations/<slug:slug>/volunteering/new/",
        views.volunteer_create,
        name="volunteer-create",
    ),
    path("volunteering/", views.volunteer_list, name="volunteer-list"),
    path("volunteering/<int:pk>/edit/", views.volunteer_edit, name="volunteer-edit"),
    path("volunteering/<int:pk>/delete/", views.volunteer_delete, name="volunteer-delete"),
    path("opendata/organisations.json", views.opendata_json, name="opendata-json"),
    path("opendata/organisations.csv", views.opendata_csv, name="opendata-csv"),
]
