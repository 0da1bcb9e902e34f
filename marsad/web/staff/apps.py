from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "marsad.web.staff"
    label = "staff"
