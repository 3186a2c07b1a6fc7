from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Search across the directory, insensitive to Polish diacritics; owns its indexes and word table."""

    name = "search"
