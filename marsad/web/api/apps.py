from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "marsad.web.api"
    label = "api"
    verbose_name = "API"
