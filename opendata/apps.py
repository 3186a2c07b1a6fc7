from django.apps import AppConfig


class OpendataConfig(AppConfig):
    """The network's published data as JSON, CSV and GeoJSON files."""

    name = "opendata"
