import pytest
from django.test import Client

from partnerships.models import CoordinatorAccess

WHO = ["anonymous", "plain user", "coordinator", "staff"]


@pytest.fixture
def client_as(django_user_model):
    """A client for `who` (one of WHO): nobody logged in, an account with no rights, the coordinator of
    `partnership`, or staff."""

    def client_as(who, partnership):
        client = Client()
        if who != "anonymous":
            user = django_user_model.objects.create_user(username="konto", password="x", is_staff=who == "staff")
            if who == "coordinator":
                CoordinatorAccess.objects.create(user=user, partnership=partnership)
            client.force_login(user)
        return client

    return client_as
