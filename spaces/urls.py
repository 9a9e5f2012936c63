from django.urls import path

from spaces import views

app_name = "spaces"

urlpatterns = [
    path("spaces/", views.space_list, name="space-list"),
    path("spaces/bookings/", views.booking_list, name="booking-list"),
    path("spaces/bookings/<int:pk>/", views.booking_detail, name="booking-detail"),
    path("spaces/bookings/<int:pk>/cancel/", views.booking_cancel, name="booking-cancel"),
    path("spaces/bookings/calendar/new/", views.feed_token_create, name="feed-token-create"),
    path("spaces/bookings/calendar/off/", views.feed_token_revoke, name="feed-token-revoke"),
    path("spaces/calendar/<str:token>.ics", views.booking_feed, name="booking-feed"),
    path("spaces/staff/report/", views.staff_report, name="staff-report"),
    path("spaces/staff/agenda/<slug:slug>/", views.staff_agenda, name="staff-agenda"),
    path("spaces/<slug:slug>/", views.space_detail, name="space-detail"),
    path("spaces/<slug:slug>/week/", views.space_week, name="space-week"),
    path("spaces/<slug:slug>/book/", views.booking_create, name="booking-create"),
    path("spaces/<slug:slug>/calendar.ics", views.space_calendar, name="space-calendar"),
]
