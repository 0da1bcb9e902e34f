from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "marsad.web.evidence"
    label = "evidence"
    verbose_name = "Evidence"
