from django.apps import AppConfig


class CoordinatorConfig(AppConfig):
    """The coordinator area and accounts: what a coordinator edits, invitations, log-in."""

    name = "coordinator"
