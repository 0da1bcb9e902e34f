"""Public URLs: the dashboard, the report form and status page, the feed, published reports."""

from django.urls import path

from marsad.web.public import views
from marsad.web.public.feeds import PublishedCasesFeed

app_name = "public"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report/", views.report, name="report"),
    path("report/receipt/", views.receipt, name="receipt"),
    path("report/status/", views.status_page, name="status"),
    path("report/status/add/", views.status_add, name="status_add"),
    path("report/status/withdraw/", views.status_withdraw, name="status_withdraw"),
    path("report/status/leave/", views.status_leave, name="status_leave"),
    path("feed.atom", PublishedCasesFeed(), name="feed"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/<str:filename>", views.report_file, name="report_file"),
]
