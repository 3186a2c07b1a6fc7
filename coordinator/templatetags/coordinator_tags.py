"""`{% edit_url user object as url %}`: where `user` edits `object`, or "" (see coordinator/permissions.py)."""

from django import template
from django.utils.html import format_html

from coordinator.permissions import edit_url_for

register = template.Library()


@register.simple_tag
def edit_url(user, obj):
    return edit_url_for(user, obj) or ""


@register.simple_tag
def action(url, label, name):
    """One action of a list in the coordinator's panel, as a small button: the visible text is the action, and the
    name of what it acts on is there for screen readers only (each link's name stays unique: "Zmień członkostwo:
    Fundacja Sąsiedzi"), so a list shows every name once."""
    return format_html(
        '<a class="btn btn-outline-primary btn-sm" href="{}">{}<span class="visually-hidden">: {}</span></a>',
        url,
        label,
        name,
    )
