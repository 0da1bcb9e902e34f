"""The staff case pages: login (the password, then the two-factor code), the queue, a case and
the forms on it (namespace `staff`)."""

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, path, reverse_lazy

from marsad.web.staff import views_case_forms, views_cases, views_purge, views_two_factor

urlpatterns: list[URLPattern] = [
    path(
        "login/",
        views_two_factor.StaffLoginView.as_view(next_page=reverse_lazy("staff:queue")),
        name="login",
    ),
    path("login/code/", views_two_factor.code_step, name="two_factor"),
    path("login/enrol/", views_two_factor.enrol, name="two_factor_enrol"),
    path(
        "logout/",
        auth_views.LogoutView.as_view(next_page=reverse_lazy("staff:login")),
        name="logout",
    ),
    path("", views_cases.queue_page, name="queue"),
    path("cases/<int:case_id>/", views_cases.case_page, name="case"),
    path("cases/<int:case_id>/move/", views_case_forms.move, name="case_move"),
    path("cases/<int:case_id>/assign/", views_case_forms.assign, name="case_assign"),
    path("cases/<int:case_id>/classify/", views_case_forms.classify, name="case_classify"),
    path("cases/<int:case_id>/note/", views_case_forms.note, name="case_note"),
    path("cases/<int:case_id>/summary/", views_case_forms.summary, name="case_summary"),
    path("cases/<int:case_id>/merge/", views_case_forms.merge, name="case_merge"),
    path("cases/<int:case_id>/purge/", views_purge.purge, name="case_purge"),
]
