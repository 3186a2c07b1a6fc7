"""Project-level pages: the home page and the network's own pages."""

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView


def home(request):
    return render(request, "home.html", {})


def page(route, template, name):
    """A static network page, its text in the template (translated there)."""
    return path(route, TemplateView.as_view(template_name=f"pages/{template}.html"), name=name)


page_urls = [
    page(_("siec/"), "about", "about"),
    page(_("siec/boris/"), "boris", "boris"),
    page(_("siec/jak-dolaczyc/"), "join", "join"),
    page(_("deklaracja-dostepnosci/"), "accessibility", "accessibility"),
    page(_("prywatnosc/"), "privacy", "privacy"),
]
