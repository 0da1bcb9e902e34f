from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "marsad.web.cases"
    label = "cases"
    verbose_name = "Cases"
