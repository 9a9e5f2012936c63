from django.urls import path

from events import views, views_organiser

app_name = "events"

urlpatterns = [
    path("events/", views.event_list, name="event-list"),
    path("events/week/", views.event_week, name="event-week"),
    path("events/month/", views.event_month, name="event-month"),
    path("events/year/", views.event_year, name="event-year"),
    path("events/feed.ics", views.event_feed, name="event-feed"),
    path("events/new/", views_organiser.event_create, name="event-create"),
    path("events/mine/", views_organiser.my_events, name="my-events"),
    path(
        "events/mine/renew-feed/", views_organiser.personal_feed_renew, name="personal-feed-renew"
    ),
    path("events/personal/<str:token>.ics", views.personal_feed, name="personal-feed"),
    path("events/<int:pk>/", views.event_detail, name="event-detail"),
    path("events/<int:pk>/event.ics", views.event_ics, name="event-ics"),
    path("events/<int:pk>/edit/", views_organiser.event_edit, name="event-edit"),
    path("events/<int:pk>/copy/", views_organiser.event_copy, name="event-copy"),
    path("events/<int:pk>/publish/", views_organiser.event_publish, name="event-publish"),
    path("events/<int:pk>/cancel/", views_organiser.event_cancel, name="event-cancel"),
    path("events/<int:pk>/postpone/", views_organiser.event_postpone, name="event-postpone"),
    path("events/<int:pk>/save/", views_organiser.event_save, name="event-save"),
    path("events/umbrellas/", views.umbrella_list, name="umbrella-list"),
    path("events/umbrellas/<slug:slug>/", views.umbrella_detail, name="umbrella-detail"),
    path("events/umbrellas/<slug:slug>/feed.ics", views.umbrella_feed, name="umbrella-feed"),
    path(
        "events/organisations/<slug:slug>/feed.ics",
        views.organisation_feed,
        name="organisation-feed",
    ),
    path(
        "events/organisations/<slug:slug>/follow/",
        views_organiser.organisation_follow,
        name="organisation-follow",
    ),
    path("opendata/events.json", views.opendata_json, name="opendata-json"),
    path("opendata/events.csv", views.opendata_csv, name="opendata-csv"),
]
