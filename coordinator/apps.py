from django.apps import AppConfig


class CoordinatorConfig(AppConfig):
    """The coordinator area and accounts: what a coordinator edits, invitations, log-in."""

    name = "coordinator"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .sessions import stamp_login

        user_logged_in.connect(stamp_login, dispatch_uid="coordinator.sessions.stamp_login")
