"""URL map: public pages at the root, staff pages under /staff/, the API under /api/; the
site's own page for a request Django refuses as unreadable (400)."""

from django.urls import include, path

from marsad.web.api.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/", include("marsad.web.staff.urls")),
    path("api/", api.urls),
    path("", include("marsad.web.public.urls")),
]

handler400 = "marsad.web.errors.bad_request"
