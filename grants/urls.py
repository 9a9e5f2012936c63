from django.urls import path

from grants import staff_views, views

app_name = "grants"

urlpatterns = [
    path("grants/", views.round_list, name="round-list"),
    path("grants/rounds/<slug:slug>/", views.round_detail, name="round-detail"),
    path("grants/rounds/<slug:slug>/apply/", views.application_start, name="application-start"),
    path("grants/applications/", views.application_list, name="application-list"),
    path("grants/applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("grants/applications/<int:pk>/edit/", views.application_edit, name="application-edit"),
    path(
        "grants/applications/<int:pk>/attachments/",
        views.attachment_upload,
        name="attachment-upload",
    ),
    path(
        "grants/applications/<int:pk>/submit/", views.application_submit, name="application-submit"
    ),
    path(
        "grants/applications/<int:pk>/versions/<int:number>/",
        views.version_detail,
        name="version-detail",
    ),
    path("grants/attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("grants/attachments/<int:pk>/remove/", views.attachment_remove, name="attachment-remove"),
    path("grants/applications/<int:pk>/report/", views.report_edit, name="report-edit"),
    path("grants/decisions/", views.decision_index, name="decision-index"),
    path("grants/decisions/<int:year>/", views.decision_list, name="decision-list"),
    path("grants/decisions/<int:year>/csv/", views.decision_csv, name="decision-csv"),
    # City staff (admin permission: staff with two-step verification)
    path("grants/staff/", staff_views.round_list, name="staff-round-list"),
    path("grants/staff/rounds/<int:pk>/", staff_views.round_detail, name="staff-round-detail"),
    path(
        "grants/staff/rounds/<int:pk>/budget.json",
        staff_views.round_budget,
        name="staff-round-budget",
    ),
    path(
        "grants/staff/applications/<int:pk>/",
        staff_views.application_review,
        name="staff-application-review",
    ),
    path(
        "grants/staff/applications/<int:pk>/scores/",
        staff_views.application_scores,
        name="staff-application-scores",
    ),
    path(
        "grants/staff/applications/<int:pk>/conflict/",
        staff_views.application_conflict,
        name="staff-application-conflict",
    ),
    path(
        "grants/staff/applications/<int:pk>/return/",
        staff_views.application_return,
        name="staff-application-return",
    ),
    path(
        "grants/staff/applications/<int:pk>/decide/",
        staff_views.application_decide,
        name="staff-application-decide",
    ),
    path(
        "grants/staff/decisions/<int:pk>/publicity/",
        staff_views.decision_publicity,
        name="staff-decision-publicity",
    ),
    path("grants/staff/reports/", staff_views.report_list, name="staff-report-list"),
    path("grants/staff/reports/<int:pk>/", staff_views.report_review, name="staff-report-review"),
]
