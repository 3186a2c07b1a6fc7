from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo network (data files and their loader) and the generated network at scale."""

    name = "demo"
