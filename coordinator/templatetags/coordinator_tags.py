"""`{% edit_url user object as url %}`: where `user` edits `object`, or "" (see coordinator/permissions.py)."""

from django import template

from coordinator.permissions import edit_url_for

register = template.Library()


@register.simple_tag
def edit_url(user, obj):
    return edit_url_for(user, obj) or ""
