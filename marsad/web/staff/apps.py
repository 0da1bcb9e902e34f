from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "marsad.web.staff"
    label = "staff"

    def ready(self) -> None:
        from marsad.web.staff import signins

        signins.connect()
