"""Lists of organisations: a partnership's members ({% member_items rows %}, {% member_items rows former=True %})
and a district's organisations ({% organisation_items organisations %}).

The items are written here, not in a template: a partnership at scale lists a hundred members, and the template
engine's work per row (and format_html's) was most of its page's time when nothing is cached. Every value is
escaped with html.escape, as Django's escape() does.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from common.links import slug_urls
from members.models import Organisation

register = template.Library()


@register.simple_tag
def member_items(rows, former=False):
    """The <li> of each member (directory.views.Member): a link, the role, and since when (or the years, former)."""
    since_year, until_year = _("od %(year)s"), _("do")  # translated once for the list
    items = []
    for row in rows:
        link = f'<a href="{escape(row.url)}">{escape(row.name)}</a>'
        if former:
            years = f"{row.since.year}–{row.until.year}" if row.since else f"{escape(until_year)} {row.until.year}"
            items.append(f'<li>{link} <span class="muted">({years})</span></li>')
            continue
        role = f" – {escape(row.role)}" if row.role else ""
        since = ""
        if row.since:
            since = f' <span class="muted">({escape(since_year % {"year": row.since.year})})</span>'
        items.append(f"<li>{link}{role}{since}</li>")
    return mark_safe("\n".join(items))


@register.simple_tag
def organisation_items(organisations):
    """The <li> of each organisation (name, slug and sector read): a link and its sector."""
    url = slug_urls("members:organisation_detail")
    sectors = {value: escape(str(label)) for value, label in Organisation.Sector.choices}
    return mark_safe(
        "".join(
            f'<li class="col"><a href="{escape(url(organisation.slug))}">{escape(organisation.name)}</a> '
            f'<span class="small muted">({sectors.get(organisation.sector, escape(organisation.sector))})</span></li>'
            for organisation in organisations
        )
    )
