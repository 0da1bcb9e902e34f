"""Escalations, taxonomy and exports pages (namespace `staff`)."""

from django.urls import URLPattern, path

from marsad.web.staff import views_escalations, views_exports, views_taxonomy

urlpatterns: list[URLPattern] = [
    path("escalations/", views_escalations.escalation_list, name="escalations"),
    path(
        "cases/<int:case_id>/escalations/new/",
        views_escalations.escalation_new,
        name="escalation_new",
    ),
    path(
        "escalations/<int:escalation_id>/reply/",
        views_escalations.escalation_reply,
        name="escalation_reply",
    ),
    path("taxonomy/", views_taxonomy.taxonomy_page, name="taxonomy"),
    path("taxonomy/add/<slug:kind>/", views_taxonomy.taxonomy_add, name="taxonomy_add"),
    path("taxonomy/<int:term_id>/edit/", views_taxonomy.taxonomy_edit, name="taxonomy_edit"),
    path("taxonomy/<int:term_id>/active/", views_taxonomy.taxonomy_active, name="taxonomy_active"),
    path("taxonomy/<int:term_id>/move/", views_taxonomy.taxonomy_move, name="taxonomy_move"),
    path("taxonomy/<int:term_id>/delete/", views_taxonomy.taxonomy_delete, name="taxonomy_delete"),
    path("exports/", views_exports.exports_page, name="exports"),
]
