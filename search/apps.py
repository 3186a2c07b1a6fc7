from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Search across the directory, insensitive to Polish diacritics; owns its indexes and word table."""

    name = "search"

    def ready(self):
        from members.services import person_erased

        from .forgetting import forget_erased_words

        person_erased.connect(forget_erased_words, dispatch_uid="search_forget_erased_words")
