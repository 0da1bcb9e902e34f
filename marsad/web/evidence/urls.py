"""Evidence URLs (under /staff/evidence/)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
