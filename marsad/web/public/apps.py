from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "marsad.web.public"
    label = "public"
