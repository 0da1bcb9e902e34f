"""The staff case pages: login, the queue, a case and the forms on it (namespace `staff`)."""

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, path, reverse_lazy

from marsad.web.staff import views_case_forms, views_cases

urlpatterns: list[URLPattern] = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="staff/login.html",
            next_page=reverse_lazy("staff:queue"),
        ),
        name="login",
    ),
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
]
