"""`{% load wspl_forms %}`: `{% select_options widget %}`, the options of a select, for the site's select template.

templates/django/forms/widgets/select.html overrides Django's: Django's includes a template for each option, and a
filter form of thirty options rendered that way was a tenth of a list page's time when nothing is cached.
"""

from html import escape

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def select_options(widget):
    """The <option>s (in their <optgroup>s) of a select widget's template context, as Django's templates write them.

    A Select's option has no attributes but "selected" (Select.option_inherits_attrs is False); the value is
    written with str() (Django's `|stringformat:'s'`) and escaped, the label escaped unless it is safe already.
    """
    parts = []
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            selected = " selected" if option["attrs"].get("selected") else ""
            value, label = escape(str(option["value"])), conditional_escape(option["label"])
            parts.append(f'\n  <option value="{value}"{selected}>{label}</option>')
        if group_name:
            parts.append("\n  </optgroup>")
    return mark_safe("".join(parts))
