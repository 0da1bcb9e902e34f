"""Evidence URLs (under /staff/evidence/, in the `staff` namespace)."""

from django.urls import URLPattern, path

from marsad.web.evidence import views

urlpatterns: list[URLPattern] = [
    path("case/<int:case_id>/", views.case_evidence, name="evidence_case"),
    path("case/<int:case_id>/add/", views.add, name="evidence_add"),
    path("case/<int:case_id>/capture/", views.capture, name="evidence_capture"),
    path("<int:evidence_id>/download/", views.download, name="evidence_download"),
    path("<int:evidence_id>/custody/", views.custody, name="evidence_custody"),
]
