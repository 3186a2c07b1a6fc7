from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo network: data files (demo/data/) and their loader."""

    name = "demo"
