"""Staff URLs: the case pages (`urls_cases`), escalations, taxonomy and exports
(`urls_manage`), evidence (`marsad.web.evidence.urls`)."""

from django.urls import include, path

app_name = "staff"
urlpatterns = [
    path("", include("marsad.web.staff.urls_cases")),
    path("", include("marsad.web.staff.urls_manage")),
    path("evidence/", include("marsad.web.evidence.urls")),
]
