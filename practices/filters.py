"""Filters of the list of good practices (django-filter): a topic, the district and the partnership that tell it,
and words; each choice labelled with how many published practices it has."""

import django_filters
from django import forms
from django.db.models import Count, Value
from django.utils.translation import gettext_lazy as _

from common.cache import cached_fragment
from partnerships.filters import (
    DistrictChoiceField,
    DistrictFilter,
    NameSearchFilter,
    PartnershipChoiceFilter,
    fit_partnership_field,
    show_counts,
    with_count,
)

from .models import Practice, Topic

# What the choices are counted by: the counts' name -> the lookup from a practice.
COUNTED = {"topics": "topics", "districts": "partnership__districts", "partnerships": "partnership"}


class TopicFilter(django_filters.ModelChoiceFilter):
    """Filter by a topic's slug, so a topic's address reads ?temat=dom-sasiedzki."""

    field_class = DistrictChoiceField  # its choices read in one plain query, as the districts'

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Topic.objects.only("pk", "name", "name_en", "slug", "order"))
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("label", _("Temat"))
        kwargs.setdefault("empty_label", _("wszystkie tematy"))
        kwargs.setdefault("error_messages", {"invalid_choice": _("Nie ma takiego tematu – wybierz go z listy.")})
        super().__init__(*args, **kwargs)


class PracticeFilter(django_filters.FilterSet):
    """Practices by words, topic, district (of the partnership that tells them) and partnership."""

    q = NameSearchFilter(widget=forms.SearchInput)
    temat = TopicFilter(field_name="topics")
    dzielnica = DistrictFilter(field_name="partnership__districts")
    partnerstwo = PartnershipChoiceFilter(field_name="partnership")

    class Meta:
        model = Practice
        fields = []

    @property
    def form(self):
        """The form, its choices labelled with counts of the published practices (shared by visitors)."""
        form = super().form  # made once by django-filter and kept on the filterset
        if not getattr(self, "counts_shown", False):
            fit_partnership_field(form)
            counts = cached_fragment("counts:practices", self.counts, request=self.request)
            topics = counts["topics"]
            form.fields["temat"].label_from_instance = lambda topic: with_count(
                topic.shown_name, topics.get(topic.pk, 0)
            )
            show_counts(form, "dzielnica", counts["districts"])
            show_counts(form, "partnerstwo", counts["partnerships"])
            self.counts_shown = True
        return form

    def counts(self):
        """{"topics"|"districts"|"partnerships": {pk: how many published practices}}, in one query."""
        base = Practice.objects.public().order_by()
        parts = [
            base.filter(**{f"{lookup}__isnull": False})
            .values(lookup)
            .annotate(n=Count("pk", distinct=True), part=Value(index))
            .values_list("part", lookup, "n")
            for index, lookup in enumerate(COUNTED.values())
        ]
        counts = {name: {} for name in COUNTED}
        names = list(COUNTED)
        for index, key, n in parts[0].union(*parts[1:], all=True):
            counts[names[index]][key] = n
        return counts
