"""The partnership card of the lists (partnerships, a district's, nearby)."""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from common.language import in_polish, lang_attribute

register = template.Library()


@register.simple_tag
def partnership_card(partnership):
    """One partnership in a list: its name and link, kind and state, summary, districts (or the whole city), area.

    `partnership` comes from Partnership.objects.for_cards() (its districts prefetched). A draft, which only
    staff see in lists, is marked "nieopublikowane".

    The card is written here, not in a template: a list shows twenty of them, and the template engine's work per
    node was most of such a page's time when nothing is cached. Every value from the data is escaped with
    html.escape, as Django's escape() does. The summary and the area are Polish on English pages too, and say so
    (common/language.py); the partnership's and districts' names are names.
    """
    if partnership.citywide:
        where = escape(_("Cała Warszawa"))
    else:
        where = ", ".join(escape(district.name) for district in partnership.districts.all())
    if partnership.area:
        where += f" · {in_polish(escape(partnership.area))}"
    draft = "" if partnership.is_published else f' <span class="badge-warn">{escape(_("nieopublikowane"))}</span>'
    summary = ""
    if partnership.summary:
        summary = f'\n    <p class="card-text"{lang_attribute()}>{escape(partnership.summary)}</p>'
    kind, status = escape(partnership.get_kind_display()), escape(partnership.get_status_display())
    return mark_safe(
        '<article class="card h-100 position-relative">\n'
        '  <div class="card-body">\n'
        f'    <h3 class="card-title h5"><a href="{escape(partnership.get_absolute_url())}">'
        f"{escape(partnership.name)}</a></h3>\n"
        f'    <p class="mb-2"><span class="badge-soft">{kind}</span> <span class="badge-soft">{status}</span>'
        f"{draft}</p>{summary}\n"
        f'    <p class="card-text small muted mb-0">{where}</p>\n'
        "  </div>\n"
        "</article>"
    )
